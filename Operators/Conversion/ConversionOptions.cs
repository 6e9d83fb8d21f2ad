namespace PdeOps.Operators.Conversion;

/// <summary>How a stride-1 convolution with an odd kernel keeps its meaning on other grids.</summary>
public enum ConvolutionRule
{
    /// <summary>The kernel keeps its physical support and is interpolated (<see cref="Layers.FixedSupportConv2d"/>): an integral operator in the limit.</summary>
    KernelInterpolation,

    /// <summary>The kernel's zero-sum part is scaled by h0/h (<see cref="Layers.DifferentialConv2d"/>): a first-order differential operator plus a pointwise map in the limit.</summary>
    Differential,

    /// <summary>The stencil keeps its moments in physical units (<see cref="Layers.MomentScaledConv2d"/>): the same finite-difference operator, of every order the stencil holds, on every grid; for smooth inputs.</summary>
    StencilMoments,

    /// <summary>The taps keep their physical offsets (<see cref="Layers.FixedOffsetConv2d"/>): a weighted sum of translations, exact (a dilated convolution) on grids refined by a whole factor; the converted network runs on such a grid.</summary>
    FixedOffsets,
}

/// <summary>Settings of <see cref="OperatorConversion.Convert"/>; where the grid points lie comes from its reference grid.</summary>
public sealed record ConversionOptions
{
    /// <summary>The rule for stride-1, same-padded convolutions with a kernel larger than 1 x 1.</summary>
    public ConvolutionRule Convolutions { get; init; } = ConvolutionRule.KernelInterpolation;

    /// <summary>Channels of the network's input; null: those of the first convolution met.</summary>
    public int? InChannels { get; init; }
}

/// <summary>How one layer of a network was converted.</summary>
/// <param name="Path">The layer's path in the module tree (dot-separated names).</param>
/// <param name="Layer">The original layer's type.</param>
/// <param name="Rule">What it became: "kernel interpolation", "differential kernel", "stencil moments", "fixed offsets", "resampled", "pointwise", "grid-agnostic".</param>
public sealed record LayerConversion(string Path, string Layer, string Rule);

/// <summary>A layer that has no meaning on a function space and no conversion rule.</summary>
public sealed class ConversionException : Exception
{
    /// <summary>Creates the exception for the layer at <paramref name="path"/>.</summary>
    /// <param name="path">The layer's path in the module tree.</param>
    /// <param name="layer">The layer's type.</param>
    /// <param name="reason">Why it cannot be converted.</param>
    public ConversionException(string path, string layer, string reason)
        : base($"cannot convert layer '{path}' ({layer}): {reason}")
    {
        Path = path;
        Layer = layer;
    }

    /// <summary>The refused layer's path in the module tree.</summary>
    public string Path { get; }

    /// <summary>The refused layer's type.</summary>
    public string Layer { get; }
}
