using PdeOps.Operators.Models;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests;

/// <summary>Building models by name from options JSON.</summary>
public class RegistryTests
{
    [Fact]
    public void DefaultRegistryKnowsTheBuiltInModels()
    {
        var registry = OperatorModelRegistry.Default;
        Assert.Equal(new[] { "attention", "fno", "local-fno", "mgno", "resnet", "resnet-no", "transolver", "unet", "unet-no", "vit", "vit-no" }, registry.Names);
        Assert.Equal(typeof(AttentionOptions), registry.Get("attention").OptionsType);
        Assert.Equal(typeof(TransolverOptions), registry.Get("transolver").OptionsType);
        Assert.Equal(typeof(FnoOptions), registry.Get("fno").OptionsType);
        Assert.Equal(typeof(MgnoOptions), registry.Get("MGNO").OptionsType);
    }

    [Fact]
    public void UnknownNamesFailLoudlyListingTheKnownOnes()
    {
        var e = Assert.Throws<UnknownModelException>(() => OperatorModelRegistry.Default.Create("deeponet", "{}"));
        Assert.Contains("deeponet", e.Message);
        Assert.Contains("fno, mgno", e.Message);
    }

    [Fact]
    public void AModelRebuildsFromItsNameAndOptionsJson()
    {
        using var scope = NewDisposeScope();
        var options = new FnoOptions { Width = 6, Modes = new[] { 3, 3 }, Layers = 1, ProjectionWidth = 8, Padding = 0 };
        using var original = OperatorModelRegistry.Default.Create("fno", options);
        using var rebuilt = OperatorModelRegistry.Default.Create(original.ModelName, original.OptionsJson());
        Assert.IsType<FourierNeuralOperator>(rebuilt);
        Assert.Equal(original.OptionsJson(), rebuilt.OptionsJson());
        Assert.Equal(original.ParameterCount(), rebuilt.ParameterCount());
        Assert.Equal(
            original.named_parameters().Select(p => (p.name, string.Join("x", p.parameter.shape))),
            rebuilt.named_parameters().Select(p => (p.name, string.Join("x", p.parameter.shape))));
    }

    [Fact]
    public void OptionsOfTheWrongTypeAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => OperatorModelRegistry.Default.Create("fno", new MgnoOptions()));
        Assert.Contains("FnoOptions", e.Message);
    }

    [Fact]
    public void CustomModelsCanBeRegisteredOnceUnderANewName()
    {
        var registry = OperatorModelRegistry.CreateBuiltIn();
        registry.Register<MgnoOptions>("mgno-periodic", o => new MultigridNeuralOperator(o with { Boundary = Layers.BoundaryPadding.Periodic }));
        Assert.Contains("mgno-periodic", registry.Names);
        Assert.Throws<ArgumentException>(() => registry.Register<MgnoOptions>("MGNO", o => new MultigridNeuralOperator(o)));
    }

    [Theory]
    [InlineData("fno")]
    [InlineData("mgno")]
    public void AModelBuiltInsideADisposeScopeOutlivesIt(string name)
    {
        NeuralOperatorModel model;
        using (NewDisposeScope())
        {
            NeuralOperatorOptions options = name == "fno"
                ? new FnoOptions { Width = 4, Modes = new[] { 3, 3 }, Layers = 1, ProjectionWidth = 8, Padding = 2 }
                : MgnoOptions.WithLevels(2) with { Width = 4, Layers = 1 };
            model = OperatorModelRegistry.Default.Create(name, options);
        }
        using (model)
        using (NewDisposeScope())
        using (no_grad())
        {
            Assert.Equal(new long[] { 1, 1, 16, 16 }, model.call(randn(1, 1, 16, 16)).shape);
        }
    }
}
