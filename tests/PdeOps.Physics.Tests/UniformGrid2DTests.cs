using PdeOps.Physics.Grids;
using PdeOps.Physics.Manufactured;

namespace PdeOps.Physics.Tests;

public class UniformGrid2DTests
{
    [Fact]
    public void SpacingPlacesBoundaryVerticesOnTheEdges()
    {
        var g = new UniformGrid2D(7, 3, 2.0, 1.0);
        Assert.Equal(0.25, g.Hx, 15);
        Assert.Equal(0.25, g.Hy, 15);
        Assert.Equal(0.25, g.X(0), 15);
        Assert.Equal(1.75, g.X(6), 15);
        Assert.Equal(21, g.Unknowns);
    }

    [Fact]
    public void SampleIsRowMajorWithYFirst()
    {
        var g = new UniformGrid2D(4, 2);
        var s = g.Sample((x, y) => 10 * x + y);
        Assert.Equal(2, s.GetLength(0));
        Assert.Equal(4, s.GetLength(1));
        Assert.Equal(10 * g.X(3) + g.Y(1), s[1, 3], 12);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(5, -1)]
    public void RejectsEmptyGrids(int nx, int ny) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new UniformGrid2D(nx, ny));

    [Fact]
    public void SineForcingIsMinusLaplacianOfSolutionToSecondOrder()
    {
        // The five-point Laplacian of the exact solution approaches f with error O(h^2):
        // halving h must divide the maximum defect by about 4.
        var m = ManufacturedSolution2D.PoissonSineProduct;
        double Defect(int n)
        {
            var g = UniformGrid2D.UnitSquare(n);
            double h = g.Hx, worst = 0;
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++)
                {
                    double x = g.X(i), y = g.Y(j);
                    double lap = (m.Solution(x + h, y) + m.Solution(x - h, y) + m.Solution(x, y + h) + m.Solution(x, y - h) - 4 * m.Solution(x, y)) / (h * h);
                    worst = Math.Max(worst, Math.Abs(-lap - m.Forcing(x, y)));
                }
            return worst;
        }
        double ratio = Defect(31) / Defect(63);
        Assert.InRange(ratio, 3.8, 4.2);
    }
}
