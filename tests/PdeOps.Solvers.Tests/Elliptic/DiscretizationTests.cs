using PdeOps.Physics.Problems;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Solvers.Tests.Elliptic;

public class DiscretizationTests
{
    [Theory]
    [InlineData(BoundaryKind.Dirichlet, BoundaryKind.Dirichlet, BoundaryKind.Dirichlet, BoundaryKind.Dirichlet, 20, 17)]
    [InlineData(BoundaryKind.Neumann, BoundaryKind.Dirichlet, BoundaryKind.Neumann, BoundaryKind.Neumann, 9, 12)]
    [InlineData(BoundaryKind.Periodic, BoundaryKind.Periodic, BoundaryKind.Dirichlet, BoundaryKind.Neumann, 16, 7)]
    [InlineData(BoundaryKind.Dirichlet, BoundaryKind.Neumann, BoundaryKind.Periodic, BoundaryKind.Periodic, 5, 8)]
    [InlineData(BoundaryKind.Periodic, BoundaryKind.Periodic, BoundaryKind.Periodic, BoundaryKind.Periodic, 6, 6)]
    [InlineData(BoundaryKind.Dirichlet, BoundaryKind.Dirichlet, BoundaryKind.Dirichlet, BoundaryKind.Dirichlet, 3, 2)]  // one unknown per row: no interior
    [InlineData(BoundaryKind.Dirichlet, BoundaryKind.Dirichlet, BoundaryKind.Dirichlet, BoundaryKind.Dirichlet, 4, 4)]  // a single interior unknown
    public void InteriorShortcutGivesTheGeneralLoopsSystemExactly(BoundaryKind west, BoundaryKind east, BoundaryKind south, BoundaryKind north, int mx, int my)
    {
        var random = new Random(mx * 100 + my);
        double[,] Field(Func<double> draw)
        {
            var field = new double[my + 1, mx + 1];
            for (int j = 0; j <= my; j++) for (int i = 0; i <= mx; i++) field[j, i] = draw();
            return field;
        }
        // Coefficients over three decades, so that harmonic means round differently in every face.
        var a = Field(() => Math.Exp(7 * random.NextDouble() - 3.5));
        var c = Field(() => random.NextDouble());
        var f = Field(() => random.NextDouble() - 0.5);
        var problem = new EllipticProblem2D(mx, my, a, c, f, new BoundaryConditions2D(west, east, south, north),
            (side, x, y) => Math.Sin(3 * x + (int)side) + Math.Cos(2 * y), lengthX: 1.5, lengthY: 0.8);
        var general = Discretization2D.Assemble(problem, interiorShortcut: false);
        var shortcut = Discretization2D.Assemble(problem, interiorShortcut: true);
        for (int k = 0; k < 9; k++) Assert.Equal(general.Operator.Coefficients[k], shortcut.Operator.Coefficients[k]);
        Assert.Equal(general.RightHandSide, shortcut.RightHandSide);
        Assert.Contains(general.Operator.Coefficients[StencilOperator2D.Centre], v => v != 0);
    }
}
