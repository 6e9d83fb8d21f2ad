using PdeOps.Operators.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// A learned position embedding held as a function of the position: its values at the points of a
/// reference grid, interpolated bilinearly (<see cref="GridResolution.Resample"/>) to whatever grid
/// the features lie on, and added to them. On the reference grid it is a plain table; on any other
/// it is the same function sampled there, so a network with it keeps its meaning when the number of
/// tokens changes (a fixed-size table indexed by position would not).
/// </summary>
public sealed class PositionFunction2d : nn.Module<Tensor, Tensor>, IGridAgnostic
{
    private readonly Parameter values;

    /// <summary>Creates the embedding with small random values (std 0.02, as ViTs initialise their tables).</summary>
    /// <param name="channels">Feature channels.</param>
    /// <param name="reference">The grid its values are held on.</param>
    /// <param name="name">Module name.</param>
    public PositionFunction2d(long channels, ReferenceGrid2d reference, string name = "position") : base(name)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "at least one channel is needed");
        Reference = reference;
        values = new Parameter(randn(1, channels, reference.Height, reference.Width) * 0.02);
        RegisterComponents();
    }

    /// <summary>The grid the values are held on.</summary>
    public ReferenceGrid2d Reference { get; }

    /// <summary>Returns <paramref name="features"/> (batch, channels, H, W) plus the embedding sampled on their grid.</summary>
    public override Tensor forward(Tensor features)
    {
        if (features.dim() != 4 || features.shape[1] != values.shape[1])
            throw new ArgumentException($"expected (batch, {values.shape[1]}, H, W) features, got ({string.Join(", ", features.shape)})", nameof(features));
        using var scope = NewDisposeScope();
        var sampled = GridResolution.Resample(values, features.shape[2], features.shape[3], Reference.Convention);
        return features.Plus(sampled).MoveToOuterDisposeScope();
    }
}
