using System.Collections.Concurrent;
using PdeOps.Operators.Conversion;

namespace PdeOps.Operators.Models;

/// <summary>
/// Named neural operator types: each name maps to its options type and a factory, so that a
/// checkpoint holding (name, options JSON) rebuilds the model. <see cref="Default"/> knows
/// "fno" and "local-fno" (<see cref="FourierNeuralOperator"/>), "mgno" (<see cref="MultigridNeuralOperator"/>),
/// "attention" and "transolver" (<see cref="PointNeuralOperator"/>), and the convolutional networks
/// "unet", "resnet", "vit" with their conversions "unet-no", "resnet-no", "vit-no" (<see cref="NetworkOperator"/>).
/// Unknown names throw <see cref="UnknownModelException"/>. Names are case-insensitive.
/// </summary>
public sealed class OperatorModelRegistry
{
    private readonly ConcurrentDictionary<string, OperatorModelEntry> entries = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The registry of the built-in models.</summary>
    public static OperatorModelRegistry Default { get; } = CreateBuiltIn();

    /// <summary>A new registry holding the built-in models.</summary>
    public static OperatorModelRegistry CreateBuiltIn()
    {
        var registry = new OperatorModelRegistry();
        registry.Register<FnoOptions>(FourierNeuralOperator.RegistryName, o => new FourierNeuralOperator(o));
        registry.Register<FnoOptions>(FourierNeuralOperator.LocalRegistryName, o => new FourierNeuralOperator(o with { LocalKernels = true }));
        registry.Register<MgnoOptions>(MultigridNeuralOperator.RegistryName, o => new MultigridNeuralOperator(o));
        registry.Register<AttentionOptions>(PointNeuralOperator.AttentionName, o => new PointNeuralOperator(o));
        registry.Register<TransolverOptions>(PointNeuralOperator.TransolverName, o => new PointNeuralOperator(o));
        registry.Register<UNetOptions>(NetworkOperator.UNetName, o => NetworkOperator.Plain(NetworkOperator.UNetName, o, new UNet(o), o.ReferenceGrid));
        registry.Register<UNetOptions>(NetworkOperator.UNetOperatorName, o => NetworkOperator.Converted(NetworkOperator.UNetOperatorName, o,
            OperatorConversion.Convert(new UNet(o), o.ReferenceGrid, ConvertedFrom(o, ConvolutionRule.FixedOffsets))));
        registry.Register<ResNetOptions>(NetworkOperator.ResNetName, o => NetworkOperator.Plain(NetworkOperator.ResNetName, o, new ResNet(o), o.ReferenceGrid));
        registry.Register<ResNetOptions>(NetworkOperator.ResNetOperatorName, o => NetworkOperator.Converted(NetworkOperator.ResNetOperatorName, o,
            OperatorConversion.Convert(new ResNet(o), o.ReferenceGrid, ConvertedFrom(o, ConvolutionRule.FixedOffsets))));
        registry.Register<ViTOptions>(NetworkOperator.ViTName, o => NetworkOperator.Plain(NetworkOperator.ViTName, o, new VisionTransformer(o), o.ReferenceGrid));
        registry.Register<ViTOptions>(NetworkOperator.ViTOperatorName, o => NetworkOperator.Converted(NetworkOperator.ViTOperatorName, o,
            OperatorConversion.Convert(new VisionTransformer(o), o.ReferenceGrid, ConvertedFrom(o, ConvolutionRule.KernelInterpolation))));
        return registry;
    }

    static ConversionOptions ConvertedFrom(ConvNetOptions options, ConvolutionRule rule) =>
        new() { Convolutions = options.Convolutions ?? rule, InChannels = options.InChannels };

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<string> Names => entries.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();

    /// <summary>Registers a model type under <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty or already registered.</exception>
    public void Register<TOptions>(string name, Func<TOptions, NeuralOperatorModel> factory) where TOptions : NeuralOperatorOptions
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        var entry = new OperatorModelEntry(name, typeof(TOptions), o => factory((TOptions)o));
        if (!entries.TryAdd(name, entry))
            throw new ArgumentException($"a model named '{name}' is already registered", nameof(name));
    }

    /// <summary>The entry registered under <paramref name="name"/>.</summary>
    /// <exception cref="UnknownModelException">No model has that name.</exception>
    public OperatorModelEntry Get(string name) =>
        entries.TryGetValue(name ?? "", out var entry) ? entry : throw new UnknownModelException(name ?? "", Names);

    /// <summary>Whether a model has that name.</summary>
    public bool Contains(string name) => entries.ContainsKey(name);

    /// <summary>Reads the options of model <paramref name="name"/> from JSON.</summary>
    public NeuralOperatorOptions ParseOptions(string name, string optionsJson) =>
        NeuralOperatorOptions.FromJson(optionsJson, Get(name).OptionsType);

    /// <summary>Builds model <paramref name="name"/> from options of its options type.</summary>
    /// <exception cref="ArgumentException">The options are of another type or invalid.</exception>
    public NeuralOperatorModel Create(string name, NeuralOperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entry = Get(name);
        if (options.GetType() != entry.OptionsType)
            throw new ArgumentException($"model '{entry.Name}' takes {entry.OptionsType.Name}, not {options.GetType().Name}", nameof(options));
        return entry.Factory(options.Validated());
    }

    /// <summary>Builds model <paramref name="name"/> from its options as JSON.</summary>
    public NeuralOperatorModel Create(string name, string optionsJson) => Create(name, ParseOptions(name, optionsJson));
}
