using PdeOps.Physics.Problems;

namespace PdeOps.Solvers.Tests.Elliptic3D;

public class BoundaryConditions3DTests
{
    [Fact]
    public void ParsesOneKindOrSix()
    {
        Assert.Equal(BoundaryConditions3D.All(BoundaryKind.Neumann), BoundaryConditions3D.Parse("neumann"));
        var bc = BoundaryConditions3D.Parse("d, n, p, p, Neumann, dirichlet");
        Assert.Equal(BoundaryKind.Dirichlet, bc[BoundarySide3D.West]);
        Assert.Equal(BoundaryKind.Neumann, bc[BoundarySide3D.East]);
        Assert.True(bc.PeriodicY && !bc.PeriodicX && !bc.PeriodicZ);
        Assert.Equal(BoundaryKind.Neumann, bc[BoundarySide3D.Bottom]);
        Assert.Equal(BoundaryKind.Dirichlet, bc[BoundarySide3D.Top]);
        Assert.True(BoundaryConditions3D.Parse("n,n,p,p,n,n").DeterminesNoLevel);
    }

    [Theory]
    [InlineData("d,n,p,p")]
    [InlineData("d,d,d,d,p,d")]
    [InlineData("x")]
    public void RejectsInvalidText(string text) => Assert.Throws<FormatException>(() => BoundaryConditions3D.Parse(text));

    [Fact]
    public void ProblemRejectsFieldsOfTheWrongShape()
    {
        var ok = new double[5, 4, 3];
        var wrong = new double[4, 4, 3];
        var bc = BoundaryConditions3D.All(BoundaryKind.Dirichlet);
        for (int k = 0; k < 5; k++) for (int j = 0; j < 4; j++) for (int i = 0; i < 3; i++) ok[k, j, i] = 1;
        Assert.Throws<ArgumentException>(() => new EllipticProblem3D(2, 3, 4, ok, ok, wrong, bc));
        _ = new EllipticProblem3D(2, 3, 4, ok, ok, ok, bc);
        var zero = new double[5, 4, 3];
        Assert.Throws<ArgumentException>(() => new EllipticProblem3D(2, 3, 4, zero, ok, ok, bc));
    }
}
