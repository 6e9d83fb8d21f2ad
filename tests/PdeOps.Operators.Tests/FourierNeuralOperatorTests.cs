using PdeOps.Operators.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests;

/// <summary>Shapes, resolution invariance and parameter count of the FNO.</summary>
public class FourierNeuralOperatorTests
{
    private static readonly FnoOptions Small = new() { Width = 8, Modes = new[] { 4, 4 }, Layers = 2, ProjectionWidth = 16, Padding = 3 };

    [Fact]
    public void OutputHasTheInputGridAndTheOutputChannels()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var model = new FourierNeuralOperator(Small with { InChannels = 2, OutChannels = 3 });
        using var noGrad = no_grad();
        var y = model.call(randn(4, 2, 20, 18));
        Assert.Equal(new long[] { 4, 3, 20, 18 }, y.shape);
    }

    [Fact]
    public void TheSameModelRunsAtTwoResolutions()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var model = new FourierNeuralOperator(Small);
        using var noGrad = no_grad();
        // A smooth input sampled at 32 and 48 points: the outputs describe nearly the same function.
        Tensor Sample(int n)
        {
            var t = linspace(0, 1, n);
            return (t.unsqueeze(1) * 3).sin().mul((t.unsqueeze(0) * 2).cos()).view(1, 1, n, n);
        }
        var y32 = model.call(Sample(32));
        var y48 = model.call(Sample(48));
        Assert.Equal(new long[] { 1, 1, 32, 32 }, y32.shape);
        Assert.Equal(new long[] { 1, 1, 48, 48 }, y48.shape);
        Assert.True(y32.isfinite().all().item<bool>() && y48.isfinite().all().item<bool>());
        Assert.InRange(y32.mean().item<float>(), y48.mean().item<float>() - 0.1f, y48.mean().item<float>() + 0.1f);
    }

    [Fact]
    public void PaperConfigurationHasTheParameterCountOfItsArchitecture()
    {
        var o = FnoOptions.Paper2d;
        long w = o.Width, m1 = o.Modes[0], m2 = o.Modes[1], fc = o.ProjectionWidth;
        long lifting = (o.InChannels + 2) * w + w;                 // fc0 with the two grid channels
        long spectral = 2 * m1 * m2 * w * w * 2;                   // two corners, complex as two reals
        long skip = w * w + w;                                     // 1x1 convolution with bias
        long projection = w * fc + fc + fc * o.OutChannels + o.OutChannels;
        long expected = lifting + o.Layers * (spectral + skip) + projection;
        using var model = new FourierNeuralOperator(o);
        Assert.Equal(expected, model.ParameterCount());
        Assert.Equal(2_368_001, expected);
    }

    [Fact]
    public void OneAndThreeDimensionalModelsKeepTheirGrids()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var m1 = new FourierNeuralOperator(Small with { Dimensions = 1, Modes = new[] { 5 } });
        using var m3 = new FourierNeuralOperator(Small with { Dimensions = 3, Modes = new[] { 2, 2, 2 }, Padding = 1 });
        using var t1 = new FourierNeuralOperator(Small with { Dimensions = 1, Modes = new[] { 5 }, TrapezoidalEdges = true });
        using var t3 = new FourierNeuralOperator(Small with { Dimensions = 3, Modes = new[] { 2, 2, 2 }, Padding = 1, TrapezoidalEdges = true });
        using var noGrad = no_grad();
        Assert.Equal(new long[] { 2, 1, 40 }, m1.call(randn(2, 1, 40)).shape);
        Assert.Equal(new long[] { 2, 1, 8, 9, 10 }, m3.call(randn(new long[] { 2, 1, 8, 9, 10 })).shape);
        Assert.Equal(new long[] { 2, 1, 40 }, t1.call(randn(2, 1, 40)).shape);
        Assert.Equal(new long[] { 2, 1, 8, 9, 10 }, t3.call(randn(new long[] { 2, 1, 8, 9, 10 })).shape);
    }

    [Fact]
    public void OptionsRoundTripThroughJson()
    {
        var o = Small with { Transform = PdeOps.Operators.Layers.SpectralTransform.Fft, PositionalEmbedding = false };
        var back = NeuralOperatorOptions.FromJson<FnoOptions>(o.ToJson());
        Assert.Equal(o.ToJson(), back.ToJson());
        Assert.Equal(o.Modes, back.Modes);
        Assert.Contains("\"transform\": \"fft\"", o.ToJson());
    }

    [Fact]
    public void UnknownOptionsAreRefusedNotSkipped()
    {
        string json = Small.ToJson().Replace("\"padding\": 3,", "\"padding\": 3, \"paddingMode\": \"reflect\",");
        Assert.Contains("paddingMode", json);
        var e = Assert.Throws<ArgumentException>(() => NeuralOperatorOptions.FromJson<FnoOptions>(json));
        Assert.Contains("paddingMode", e.Message);
    }

    [Fact]
    public void InvalidOptionsNameTheSetting()
    {
        var e = Assert.Throws<ArgumentException>(() => new FourierNeuralOperator(Small with { Modes = new[] { 4 } }));
        Assert.Contains("Modes", e.Message);
    }

    [Fact]
    public void PaddingScalesWithTheGridAndFractionalPaddingIsReported()
    {
        using var exact = new FourierNeuralOperator(Small with { Padding = 12, PaddingReferenceSize = 85 });
        Assert.Equal(new long[] { 12, 20, 30, 60 }, new long[] { 85, 141, 211, 421 }.Select(exact.PaddingOf).ToArray());
        Assert.Null(exact.GridCaveat([141, 141]));
        Assert.Null(exact.GridCaveat([211, 211]));

        using var paper = new FourierNeuralOperator(Small with { Padding = 9, PaddingReferenceSize = 85 });
        Assert.Equal(15, paper.PaddingOf(141));
        Assert.Null(paper.GridCaveat([141, 141]));
        Assert.Equal(23, paper.PaddingOf(211));
        var caveat = paper.GridCaveat([211, 211]);
        Assert.NotNull(caveat);
        Assert.Contains("22.5", caveat);
        Assert.Contains("multiple of 2", caveat);

        using var fixedPadding = new FourierNeuralOperator(Small with { Padding = 9 });
        Assert.Equal(9, fixedPadding.PaddingOf(211));
        Assert.Null(fixedPadding.GridCaveat([211, 211]));
    }

    [Fact]
    public void TrapezoidalEdgesScaleThePaddedIntervalAndRequireAPadding()
    {
        using var model = new FourierNeuralOperator(Small with { Padding = 11, PaddingReferenceSize = 85, TrapezoidalEdges = true });
        Assert.Equal(new long[] { 11, 19, 29, 59 }, new long[] { 85, 141, 211, 421 }.Select(model.PaddingOf).ToArray());
        Assert.Null(model.GridCaveat([211, 211]));
        using var paper = new FourierNeuralOperator(Small with { Padding = 9, PaddingReferenceSize = 85, TrapezoidalEdges = true });
        Assert.Equal(24, paper.PaddingOf(211));
        Assert.Contains("one less than a multiple of 3", paper.GridCaveat([141, 141]));
        // 12 padding intervals at 85 are 1 at 8 points and less below: the padding stays 1 point, with a caveat.
        Assert.Equal(new long[] { 1, 1, 1 }, new long[] { 3, 5, 8 }.Select(model.PaddingOf).ToArray());
        Assert.Contains("too coarse", model.GridCaveat([8, 8]));
        Assert.Contains("too coarse", model.GridCaveat([3, 85]));
        using var noGrad = no_grad();
        Assert.Equal(new long[] { 1, 1, 8, 8 }, model.call(randn(1, 1, 8, 8)).shape);

        Assert.Equal(new[] { 0.5f, 1f, 1f, 0.5f, 1.5f, 1f, 1.5f }, TrapezoidalEdgeWeights.Axis(4, 3));
        Assert.Equal(new[] { 0.5f, 0.5f, 2f }, TrapezoidalEdgeWeights.Axis(2, 1));
        var e = Assert.Throws<ArgumentException>(() => new FourierNeuralOperator(Small with { Padding = 0, TrapezoidalEdges = true }));
        Assert.Contains("TrapezoidalEdges", e.Message);
    }

    /// <summary>
    /// The same random weights applied to one smooth input sampled on finer and finer closed grids
    /// (n = 17, 33, 65, 129, against 257) with the padding scaled to the grid: the outputs at the
    /// 17-point grid converge at first order with the plain DFT, whose data interval [-h/2, 1 + h/2]
    /// and period change with h, and at second order with trapezoidal edges, which hold both fixed.
    /// </summary>
    [Theory]
    [InlineData(false, 0.8, 1.3)]
    [InlineData(true, 1.7, 2.5)]
    public void OutputsConvergeUnderRefinementAtTheOrderOfTheEdgeQuadrature(bool trapezoidal, double minOrder, double maxOrder)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        // Trapezoidal edges: 3 padding points, a padded interval of 4/16 and a period of 20/16 at
        // every grid. Plain DFT: 4 padding points at 17, scaled with the grid.
        var options = Small with { Width = 12, Modes = new[] { 5, 5 }, Padding = trapezoidal ? 3 : 4, PaddingReferenceSize = 17, TrapezoidalEdges = trapezoidal };
        using var model = new FourierNeuralOperator(options);
        model.to(float64);
        using var noGrad = no_grad();
        Tensor Coarse(int n)
        {
            var t = linspace(0, 1, n, dtype: float64);
            var field = 1 + 0.5 * (t.unsqueeze(1) * 2.3 + 0.4).sin() * (t.unsqueeze(0) * 1.7 - 0.2).cos();
            long stride = (n - 1) / 16;
            return model.call(field.view(1, 1, n, n))[0, 0].slice(0, 0, n, stride).slice(1, 0, n, stride);
        }
        var reference = Coarse(257);
        var errors = new[] { 17, 33, 65, 129 }.Select(n => (Coarse(n) - reference).abs().max().item<double>()).ToArray();
        for (int i = 1; i < errors.Length; i++)
        {
            // Against a reference at 257 the last refinement sees the reference's own error too.
            double order = Math.Log2(errors[i - 1] / errors[i]);
            Assert.InRange(order, minOrder, i == errors.Length - 1 ? maxOrder + 1 : maxOrder);
        }
    }
}
