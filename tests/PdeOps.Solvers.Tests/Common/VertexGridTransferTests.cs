using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Tests.Common;

public class VertexGridTransferTests
{
    [Theory]
    [InlineData(421, 85, 5)]
    [InlineData(421, 211, 2)]
    [InlineData(33, 33, 1)]
    [InlineData(33, 2, 32)]
    public void NestedGridsHaveAStride(int fine, int coarse, int stride) => Assert.Equal(stride, VertexGridTransfer.Stride(fine, coarse));

    [Theory]
    [InlineData(421, 84)]
    [InlineData(33, 1)]
    [InlineData(17, 33)]
    public void GridsThatDoNotNestHaveNone(int fine, int coarse) => Assert.Null(VertexGridTransfer.Stride(fine, coarse));

    static double Bilinear(double x, double y) => 0.3 - 1.7 * x + 2.5 * y + 4.1 * x * y;

    [Fact]
    public void SubsamplingThenInterpolatingReproducesABilinearFieldEverywhere()
    {
        const int n = 25, stride = 4, m = 7;
        var fine = new double[n * n];
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) fine[j * n + i] = Bilinear(i / (n - 1.0), j / (n - 1.0));
        var coarse = new double[m * m];
        VertexGridTransfer.Subsample<double>(fine, n, stride, coarse);
        Assert.Equal(fine[2 * stride * n + 3 * stride], coarse[2 * m + 3]);
        var back = new double[n * n];
        VertexGridTransfer.Interpolate<double>(coarse, m, stride, back);
        for (int p = 0; p < back.Length; p++) Assert.Equal(fine[p], back[p], 1e-12);
    }

    [Fact]
    public void InterpolationConvergesAtSecondOrderOnASmoothField()
    {
        // Bilinear interpolation errs by O(h^2): halving the coarse spacing quarters the largest error.
        double Error(int m, int stride)
        {
            int n = (m - 1) * stride + 1;
            var coarse = new float[m * m];
            for (int j = 0; j < m; j++)
                for (int i = 0; i < m; i++) coarse[j * m + i] = (float)Math.Sin(3 * i / (m - 1.0)) * (float)Math.Cos(2 * j / (m - 1.0));
            var fine = new float[n * n];
            VertexGridTransfer.Interpolate<float>(coarse, m, stride, fine);
            double worst = 0;
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++)
                    worst = Math.Max(worst, Math.Abs(fine[j * n + i] - Math.Sin(3 * i / (n - 1.0)) * Math.Cos(2 * j / (n - 1.0))));
            return worst;
        }
        double ratio = Error(9, 8) / Error(17, 4);
        Assert.InRange(ratio, 3.5, 4.5);
    }

    [Theory]
    [InlineData(85, 5)]
    [InlineData(3, 7)]
    [InlineData(6, 1)]
    public void InterpolationIsTheBilinearFormulaAtEveryVertexToTheBit(int m, int stride)
    {
        // The interpolant blends rows interpolated along x; the formula in one piece must give the same floats.
        int n = (m - 1) * stride + 1;
        var random = new Random(m * 31 + stride);
        var coarse = new float[m * m];
        for (int p = 0; p < coarse.Length; p++) coarse[p] = (float)random.NextDouble() - 0.5f;
        var fine = new float[n * n];
        VertexGridTransfer.Interpolate<float>(coarse, m, stride, fine);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
            {
                int j0 = Math.Min(j / stride, m - 2), i0 = Math.Min(i / stride, m - 2), c = j0 * m + i0;
                float ty = (float)(j - j0 * stride) / stride, tx = (float)(i - i0 * stride) / stride;
                float expected = (1 - ty) * ((1 - tx) * coarse[c] + tx * coarse[c + 1]) + ty * ((1 - tx) * coarse[c + m] + tx * coarse[c + m + 1]);
                Assert.Equal(expected, fine[j * n + i]);
            }
    }

    [Fact]
    public void MismatchedLengthsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => VertexGridTransfer.Subsample<float>(new float[25], 5, 3, new float[4]));
        Assert.Throws<ArgumentException>(() => VertexGridTransfer.Subsample<float>(new float[25], 5, 2, new float[4]));
        Assert.Throws<ArgumentException>(() => VertexGridTransfer.Interpolate<float>(new float[9], 3, 2, new float[16]));
        Assert.Throws<ArgumentException>(() => VertexGridTransfer.Interpolate<float>(new float[1], 1, 2, new float[1]));
    }
}
