using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Problems;

namespace PdeOps.Physics.Tests;

public class ExactErrorTests
{
    static double Plane(double x, double y) => 2 * x + 3 * y;

    [Fact]
    public void VertexErrorIsTheLargestPointwiseDeviation()
    {
        const int m = 4;
        var u = new double[m + 1, m + 1];
        for (int j = 0; j <= m; j++)
            for (int i = 0; i <= m; i++) u[j, i] = Plane((double)i / m, (double)j / m);
        Assert.Equal(0, ExactError.MaxAtUnitVertices(u, Plane));
        u[3, 1] += 0.25;
        u[0, 4] -= 0.5;
        Assert.Equal(0.5, ExactError.MaxAtUnitVertices(u, Plane), 14);
        u[2, 2] = double.NaN;
        Assert.True(double.IsNaN(ExactError.MaxAtUnitVertices(u, Plane)));
    }

    [Fact]
    public void ThreeDimensionalErrorUsesXFastestOrdering()
    {
        var u = new double[3, 3, 3];
        // exact = x; u[k, j, i] = i / 2 everywhere except one corner point.
        for (int k = 0; k < 3; k++)
            for (int j = 0; j < 3; j++)
                for (int i = 0; i < 3; i++) u[k, j, i] = i / 2.0;
        u[2, 0, 1] = 0.125;
        Assert.Equal(0.375, ExactError.MaxAtUnitVertices(u, (x, _, _) => x), 14);
    }

    [Fact]
    public void InteriorCoordinatesMustMatchTheArray()
    {
        var u = new double[2, 3];
        Assert.Throws<ArgumentException>(() => ExactError.Max(u, Plane, [0.25, 0.5], [0.25, 0.5]));
    }

    [Fact]
    public void BuiltInDarcyCoefficientTakesBothPhases()
    {
        var phases2D = new HashSet<double>();
        var phases3D = new HashSet<double>();
        foreach (double x in ExactError.UnitVertices(33))
            foreach (double y in ExactError.UnitVertices(33))
            {
                phases2D.Add(BuiltInDarcyCoefficient.At(x, y));
                phases3D.Add(BuiltInDarcyCoefficient.At(x, y, 0.5));
            }
        Assert.Equal([BuiltInDarcyCoefficient.Low, BuiltInDarcyCoefficient.High], phases2D.Order());
        Assert.Equal([BuiltInDarcyCoefficient.Low, BuiltInDarcyCoefficient.High], phases3D.Order());
    }
}
