using PdeOps.Operators.Models;
using Xunit.Abstractions;
using static PdeOps.Operators.Tests.Convergent.RefinementStudy;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Convergent;

/// <summary>
/// local-fno: the FNO with DISCO and differential kernels beside every spectral convolution
/// converges under refinement, and its local kernels keep their share of the output on every
/// grid instead of fading as a plain stencil's would.
/// </summary>
[Collection("torch random state")]
public class LocalFnoTests(ITestOutputHelper output)
{
    // Unpadded, so the grids are periodic and nested; no coordinates, which a periodic grid places differently.
    static readonly FnoOptions Small = new()
    {
        InChannels = 2,
        Width = 6,
        Modes = new[] { 4, 4 },
        Layers = 2,
        ProjectionWidth = 8,
        Padding = 0,
        PositionalEmbedding = false,
        LocalRadius = 3.0 / 32,
    };

    [Fact]
    public void ConvergesUnderRefinementAndKeepsItsLocalPart()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var model = OperatorModelRegistry.Default.Create(FourierNeuralOperator.LocalRegistryName, Small);
        model.eval();
        var full = Outputs(x => model.call(x.to(float32)).to(float64));
        var differences = SuccessiveDifferences(full);
        using (no_grad())
            foreach (var (name, parameter) in model.named_parameters())
                if (name.StartsWith("local", StringComparison.Ordinal)) parameter.zero_();
        var spectralOnly = Outputs(x => model.call(x.to(float32)).to(float64));
        var localPart = full.Select((f, i) => RootMeanSquare(f - spectralOnly[i])).ToArray();
        var relativeLocal = localPart.Select(p => p / localPart[0]).ToArray();
        output.WriteLine($"successive differences {string.Join(", ", differences.Select(d => d.ToString("E2")))}; local part {string.Join(", ", relativeLocal.Select(d => d.ToString("F3")))}");
        output.WriteLine($"without local kernels: {string.Join(", ", SuccessiveDifferences(spectralOnly).Select(d => d.ToString("E2")))}");

        // First order (the differential kernel), from the coarsest pair on.
        foreach (var order in Orders(differences))
            Assert.True(order >= 0.8, $"observed order {order:F2} below 0.8");
        Assert.True(differences[^1] < 0.02, $"outputs on 128 and 256 points should agree, differ by {differences[^1]:E2}");
        // The local kernels' contribution keeps its size under 8x refinement (a plain stencil's would fall like h).
        Assert.All(relativeLocal, r => Assert.InRange(r, 0.7, 1.3));
        Assert.True(localPart[0] > 0.05 * RootMeanSquare(full[0]), "the local kernels should matter at the reference grid");
    }

    [Fact]
    public void RegistersUnderItsOwnNameAndRebuildsFromItsOptions()
    {
        using var scope = NewDisposeScope();
        using var local = OperatorModelRegistry.Default.Create(FourierNeuralOperator.LocalRegistryName, Small);
        using var plain = OperatorModelRegistry.Default.Create(FourierNeuralOperator.RegistryName, Small);
        Assert.Equal("local-fno", local.ModelName);
        Assert.Equal("fno", plain.ModelName);
        Assert.True(local.ParameterCount() > plain.ParameterCount());
        using var rebuilt = OperatorModelRegistry.Default.Create(local.ModelName, local.OptionsJson());
        Assert.Equal("local-fno", rebuilt.ModelName);
        Assert.Equal(
            local.named_parameters().Select(p => (p.name, string.Join("x", p.parameter.shape))),
            rebuilt.named_parameters().Select(p => (p.name, string.Join("x", p.parameter.shape))));
    }

    [Fact]
    public void AGridTooCoarseForTheDiscoDiskIsRefusedNamingTheRadius()
    {
        var options = Small with { LocalKernels = true };
        options.CheckLocalKernelsFit(new[] { 64, 64 });
        var error = Assert.Throws<ArgumentException>(() => options.CheckLocalKernelsFit(new[] { 8, 8 }));
        Assert.Equal(nameof(FnoOptions.LocalRadius), error.ParamName);
        Assert.Contains("8-point grid", error.Message);
        Assert.Throws<ArgumentException>(() => (Small with { LocalKernels = true, Dimensions = 1, Modes = new[] { 4 } }).Validated());
    }
}
