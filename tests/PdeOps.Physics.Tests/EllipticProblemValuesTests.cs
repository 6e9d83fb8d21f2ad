using PdeOps.Physics.Problems;

namespace PdeOps.Physics.Tests;

public class EllipticProblemValuesTests
{
    // 7 x 6 vertices: 42 values, so a bad value can sit in a full vector lane or in the tail after the last one.
    static double[,] Field(double value) { var f = new double[6, 7]; for (int j = 0; j < 6; j++) for (int i = 0; i < 7; i++) f[j, i] = value; return f; }

    [Theory]
    [InlineData(0, 0, double.NaN)]
    [InlineData(3, 4, double.PositiveInfinity)]
    [InlineData(5, 6, double.NegativeInfinity)]
    public void ANonFiniteValueAnywhereIsNamed(int j, int i, double bad)
    {
        var f = Field(1);
        f[j, i] = bad;
        var e = Assert.Throws<ArgumentException>(() => new EllipticProblem2D(6, 5, Field(1), Field(0), f, BoundaryConditions2D.All(BoundaryKind.Dirichlet)));
        Assert.Equal($"field f contains {bad}", e.Message);
        var c = Field(0);
        c[j, i] = bad;
        e = Assert.Throws<ArgumentException>(() => new EllipticProblem2D(6, 5, Field(1), c, Field(1), BoundaryConditions2D.All(BoundaryKind.Dirichlet)));
        Assert.Equal($"field c contains {bad}", e.Message);
    }

    [Theory]
    [InlineData(0, 1, 0.0)]
    [InlineData(5, 6, -2.0)]
    [InlineData(2, 2, -1e-300)]
    public void ACoefficientThatIsNotPositiveAnywhereIsNamed(int j, int i, double bad)
    {
        var a = Field(1);
        a[j, i] = bad;
        var e = Assert.Throws<ArgumentException>(() => new EllipticProblem2D(6, 5, a, Field(0), Field(1), BoundaryConditions2D.All(BoundaryKind.Dirichlet)));
        Assert.Contains($"(found {bad})", e.Message);
        var a3 = new double[3, 6, 7];
        a3[2, j, i] = bad;
        for (int k = 0; k < 2; k++) for (int y = 0; y < 6; y++) for (int x = 0; x < 7; x++) a3[k, y, x] = 1;
        for (int y = 0; y < 6; y++) for (int x = 0; x < 7; x++) if ((y, x) != (j, i)) a3[2, y, x] = 1;
        e = Assert.Throws<ArgumentException>(() => new EllipticProblem3D(6, 5, 2, a3, new double[3, 6, 7], new double[3, 6, 7], BoundaryConditions3D.All(BoundaryKind.Dirichlet)));
        Assert.Contains($"(found {bad})", e.Message);
    }
}
