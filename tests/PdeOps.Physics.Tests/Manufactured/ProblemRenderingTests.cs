using PdeOps.Physics.Geometry;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;

namespace PdeOps.Physics.Tests.Manufactured;

public class ProblemRenderingTests
{
    [Fact]
    public void ChannelsMarkTheBoundaryWithItsDataAndEncodeTheSource()
    {
        var problem = Problem2D.FromText("uxx + uyy", "-50*x*y", "square - disk(0.2, 0.1, 0.4)", ["x + 2*y"], ["hole1: nx"]);
        const int n = 65;
        var r = ProblemRendering.Render(problem, n);
        Assert.Equal(5, r.Channels.Length);
        double X(int i) => Domain2D.Coordinate(i, n);
        int At(int j, int i) => j * n + i;
        // The outer boundary is Dirichlet, with the value of x + 2y nearby.
        Assert.Equal(1f, r.Channels[0][At(0, 10)]);
        Assert.Equal(X(10) - 2, r.Channels[2][At(0, 10)], 0.01); // from a boundary point within h/8
        Assert.Equal(0f, r.Channels[1][At(0, 10)]);
        // A point on the circle: Neumann with the normal's x component, which points into the hole.
        var (ci, cj) = ((int)Math.Round((0.2 + 0.4 + 1) / (2.0 / (n - 1))), (int)Math.Round((0.1 + 1) / (2.0 / (n - 1))));
        Assert.Equal(1f, r.Channels[1][At(cj, ci)]);
        Assert.Equal(-1, r.Channels[3][At(cj, ci)], 1);
        // Far from every curve nothing is marked.
        Assert.Equal(0f, r.Channels[0][At(50, 12)]);
        Assert.Equal(0f, r.Channels[1][At(50, 12)]);
        // The source channel is sign(f) log(1 + |f|) on the whole square, holes included.
        var f = -50 * X(50) * X(12);
        Assert.Equal(Math.Sign(f) * Math.Log(1 + Math.Abs(f)), r.Channels[4][At(50, 12)], 5);
        var marked = r.Channels[0].Count(v => v == 1);
        Assert.InRange(marked, 4 * (n - 1), 4 * 4 * n); // a band a few points wide along the square's sides
    }
}
