using static TorchSharp.torch;

namespace PdeOps.Operators.Layers.Attention;

/// <summary>
/// Positions as continuous features: for coordinates x in the unit cube, sin(2π k x_a) and
/// cos(2π k x_a) for k = 1..K on every axis a. A function of the position, not of an index, so the
/// same encoding holds on every grid and on scattered points.
/// </summary>
public static class FourierFeatures
{
    /// <summary>Channels produced for <paramref name="dimensions"/> axes and <paramref name="frequencies"/> frequencies.</summary>
    public static int Channels(int dimensions, int frequencies) => 2 * dimensions * frequencies;

    /// <summary>Encodes coordinates (batch, n, dim) as (batch, n, 2 dim K).</summary>
    public static Tensor Encode(Tensor coordinates, int frequencies)
    {
        if (frequencies < 1) throw new ArgumentOutOfRangeException(nameof(frequencies), frequencies, "at least one frequency is needed");
        using var scope = NewDisposeScope();
        var k = tensor(Enumerable.Range(1, frequencies).Select(f => 2 * Math.PI * f).ToArray(), dtype: coordinates.dtype, device: coordinates.device);
        var phases = (coordinates.unsqueeze(-1) * k).flatten(2);                   // (B, n, dim K)
        return cat([phases.sin(), phases.cos()], 2).MoveToOuterDisposeScope();
    }
}
