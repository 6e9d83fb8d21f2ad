using System.Reflection;
using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Conversion;

/// <summary>
/// Converts a TorchSharp network built for one grid into a neural operator that keeps its meaning
/// on other grids (Berner, Liu-Schiaffini, Kossaifi et al., "Principled Approaches for Extending
/// Neural Architectures to Function Spaces for Operator Learning", 2025), keeping its weights.
/// </summary>
/// <remarks>
/// Rules, by layer:
/// <list type="bullet">
/// <item>Conv2d, stride 1, odd kernel padded to keep the grid: <see cref="FixedSupportConv2d"/>
/// <see cref="DifferentialConv2d"/>, <see cref="MomentScaledConv2d"/> or <see cref="FixedOffsetConv2d"/> (<see cref="ConversionOptions.Convolutions"/>); 1 x 1: kept (pointwise).</item>
/// <item>Conv2d with a stride or another padding, ConvTranspose2d, pooling, Upsample: <see cref="ResampledLayer"/>.</item>
/// <item>Normalisations, activations, dropout, Linear (applied to channels): kept; they act pointwise or through averages over the grid.</item>
/// <item>Layers implementing <see cref="IGridAgnostic"/>: kept.</item>
/// <item>Sequential: rebuilt from its converted children under the same names; any other module
/// without parameters of its own: its children are replaced in place (a child's field must be
/// able to hold the replacement, e.g. be declared as <c>Module&lt;Tensor, Tensor&gt;</c>).</item>
/// <item>Anything else (Flatten, 1D or 3D convolutions, embeddings, unknown layers with parameters)
/// is refused with a <see cref="ConversionException"/> naming the layer and the reason.</item>
/// </list>
/// After replacing, the network runs once on a zero input on the reference grid, in evaluation
/// mode, so every converted layer records the grid it sees there. On that grid the converted
/// network computes exactly what the original did.
/// </remarks>
public static class OperatorConversion
{
    /// <summary>What a convolution converted by <see cref="ConvolutionRule.FixedOffsets"/> is logged as.</summary>
    internal const string FixedOffsetsRule = "fixed offsets";

    static readonly HashSet<string> Pointwise = new(StringComparer.Ordinal)
    {
        "BatchNorm2d", "GroupNorm", "InstanceNorm2d", "LayerNorm", "LocalResponseNorm",
        "ReLU", "ReLU6", "LeakyReLU", "PReLU", "RReLU", "GELU", "SiLU", "Mish", "ELU", "CELU", "SELU", "Tanh", "Sigmoid",
        "Softplus", "Softsign", "Hardtanh", "Hardswish", "Hardsigmoid", "Tanhshrink", "Identity",
        "Dropout", "Dropout2d", "AlphaDropout", "Linear",
    };

    static readonly HashSet<string> Resampled = new(StringComparer.Ordinal)
    {
        "AvgPool2d", "MaxPool2d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "Upsample", "PixelShuffle", "PixelUnshuffle",
    };

    static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["Flatten"] = "it flattens the grid into a vector whose length depends on the resolution",
        ["Unflatten"] = "it reshapes a vector into a grid of a fixed size",
        ["Conv1d"] = "only two-dimensional layers are converted",
        ["Conv3d"] = "only two-dimensional layers are converted",
        ["ConvTranspose1d"] = "only two-dimensional layers are converted",
        ["ConvTranspose3d"] = "only two-dimensional layers are converted",
        ["Embedding"] = "an index table has no function-space meaning; hold positions as functions of the coordinates",
    };

    /// <summary>
    /// Converts <paramref name="network"/> (channels-first 2D fields in and out) for use on any
    /// grid, taking <paramref name="reference"/> as the grid it was built for. Custom modules of
    /// the network get their children replaced in place; Sequentials are rebuilt. The converted
    /// layers hold the network's parameters themselves, not copies: training one trains the other,
    /// so convert a copy (load its state dict) to keep the original as it is.
    /// </summary>
    /// <exception cref="ConversionException">A layer has no conversion rule; the message names it and says why.</exception>
    public static ConvertedNetwork Convert(nn.Module<Tensor, Tensor> network, ReferenceGrid2d reference, ConversionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(reference);
        options ??= new ConversionOptions();
        int inChannels = options.InChannels ?? FirstConvolutionChannels(network)
            ?? throw new ArgumentException("the network's input channels are unknown (no convolution found): set ConversionOptions.InChannels", nameof(options));
        var context = new Context(options.Convolutions, reference.Convention, new List<LayerConversion>());
        var converted = (nn.Module<Tensor, Tensor>)ConvertModule(network, "", context);
        var result = new ConvertedNetwork(converted, reference, context.Log);
        Trace(result, inChannels, reference);
        return result;
    }

    // The convolution rule, the grid convention and the record of what each layer became.
    sealed record Context(ConvolutionRule Convolutions, GridConvention Convention, List<LayerConversion> Log)
    {
        public nn.Module Logged(nn.Module layer, string path, string type, string rule)
        {
            Log.Add(new LayerConversion(path, type, rule));
            return layer;
        }
    }

    static nn.Module ConvertModule(nn.Module module, string path, Context context)
    {
        string type = module.GetType().Name;
        string shown = path.Length == 0 ? "(root)" : path;
        switch (module)
        {
            case IGridAgnostic:
                return context.Logged(module, shown, type, "grid-agnostic");
            case Conv2d conv:
                return ConvertConvolution(conv, shown, context);
            case ConvTranspose2d transposed:
                return context.Logged(ResampledLayer.OfTransposedConvolution(transposed, context.Convention), shown, type, "resampled");
            case Sequential sequential:
                return nn.Sequential(sequential.named_children()
                    .Select(c => (c.name, (nn.Module<Tensor, Tensor>)ConvertModule(c.module, Join(path, c.name), context)))
                    .ToArray());
        }
        if (Refused.TryGetValue(type, out var reason)) throw new ConversionException(shown, type, reason);
        if (Pointwise.Contains(type)) return context.Logged(module, shown, type, "pointwise");
        if (Resampled.Contains(type))
            return context.Logged(new ResampledLayer((nn.Module<Tensor, Tensor>)module, context.Convention), shown, type, "resampled");
        if (module.named_parameters(recurse: false).Any())
            throw new ConversionException(shown, type, "it holds parameters of its own and has no conversion rule; implement IGridAgnostic if it is resolution-independent");
        foreach (var (name, child) in module.named_children().ToArray())
        {
            var replacement = ConvertModule(child, Join(path, name), context);
            if (!ReferenceEquals(replacement, child)) Replace(module, name, child, replacement, shown);
        }
        return module;
    }

    static nn.Module ConvertConvolution(Conv2d conv, string path, Context context)
    {
        long kh = conv.kernel_size[0], kw = conv.kernel_size[1];
        bool keepsGrid = conv.stride.All(s => s == 1) && conv.dilation.All(d => d == 1) && kh % 2 == 1 && kw % 2 == 1
            && (conv.padding_type == Padding.Same || (conv.padding is { } p && p[0] == kh / 2 && p[1] == kw / 2));
        if (!keepsGrid) return context.Logged(ResampledLayer.OfConvolution(conv, context.Convention), path, "Conv2d", "resampled");
        if (kh == 1 && kw == 1) return context.Logged(conv, path, "Conv2d", "pointwise");
        var (weight, bias, mode, groups, convention) = (conv.weight, conv.bias, conv.padding_mode, conv.groups, context.Convention);
        return context.Convolutions switch
        {
            ConvolutionRule.Differential => context.Logged(
                DifferentialConv2d.FromConvolution(weight, bias, mode, groups, null, convention, "conv"), path, "Conv2d", "differential kernel"),
            ConvolutionRule.FixedOffsets => context.Logged(
                FixedOffsetConv2d.FromConvolution(weight, bias, mode, groups, null, convention, "conv"), path, "Conv2d", FixedOffsetsRule),
            ConvolutionRule.StencilMoments => context.Logged(
                MomentScaledConv2d.FromConvolution(weight, bias, mode, groups, null, convention, "conv"), path, "Conv2d", "stencil moments"),
            _ => context.Logged(
                FixedSupportConv2d.FromConvolution(weight, bias, mode, groups, null, convention, "conv"), path, "Conv2d", "kernel interpolation"),
        };
    }

    // Puts the replacement where the parent's forward code finds it (its field) and where
    // parameters() finds it (its registered children, under the same name).
    static void Replace(nn.Module parent, string name, nn.Module child, nn.Module replacement, string parentPath)
    {
        FieldInfo? field = null;
        for (var t = parent.GetType(); t is not null && field is null; t = t.BaseType)
            field = t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .FirstOrDefault(f => ReferenceEquals(f.GetValue(parent), child));
        string type = parent.GetType().Name;
        if (field is null)
            throw new ConversionException(parentPath, type, $"its child '{name}' is not held in a field (a list or dictionary of modules?), so its replacement cannot be put in place");
        if (!field.FieldType.IsInstanceOfType(replacement))
            throw new ConversionException(parentPath, type,
                $"field '{field.Name}' is declared as {field.FieldType.Name} and cannot hold the converted {replacement.GetType().Name}; declare it as Module<Tensor, Tensor>");
        field.SetValue(parent, replacement);
        parent.register_module(name, null!);
        parent.register_module(name, replacement);
    }

    static void Trace(ConvertedNetwork network, int inChannels, ReferenceGrid2d reference)
    {
        bool training = network.training;
        var parameter = network.parameters().FirstOrDefault();
        network.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var probe = zeros(new long[] { 1, inChannels, reference.Height, reference.Width },
                dtype: parameter?.dtype ?? float32, device: parameter?.device);
            network.call(probe);
        }
        finally
        {
            network.train(training);
        }
    }

    static int? FirstConvolutionChannels(nn.Module network) =>
        network.modules().OfType<Conv2d>().Select(c => (int?)c.in_channels).FirstOrDefault();

    static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
