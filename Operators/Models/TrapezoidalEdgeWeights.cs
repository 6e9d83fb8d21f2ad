using static TorchSharp.torch;

namespace PdeOps.Operators.Models;

/// <summary>
/// Quadrature weights that make the forward Fourier transform of a padded, non-periodic field
/// converge at second order under grid refinement (see <see cref="FnoOptions.TrapezoidalEdges"/>).
/// </summary>
/// <remarks>
/// An axis holds n data points x_j = j h on the closed interval [0, 1] followed by p padding points,
/// and the Fourier layer reads the m = n + p points as one period of length m h. Every hidden field
/// jumps where the data meet the padding, at x = 0 and x = 1. The plain DFT sum gives the two edge
/// points a full cell each, so the data interval is read as [-h/2, 1 + h/2]: its length, and with it
/// the Fourier coefficients, change with h at first order, and a model trained on one grid meets a
/// systematically different spectrum on another. The trapezoidal rule across the jumps gives each
/// edge point half a cell and hands the other half to the neighbouring padding point (the padding
/// side of the jump, extrapolated by one point), which keeps the total weight at m and the data
/// interval at exactly [0, 1]; the padded interval is then (1, 1 + (p + 1) h).
/// </remarks>
public static class TrapezoidalEdgeWeights
{
    /// <summary>The weights of one axis: n data points followed by <paramref name="padding"/> (at least 1) padding points.</summary>
    public static float[] Axis(long dataPoints, long padding)
    {
        if (dataPoints < 2) throw new ArgumentOutOfRangeException(nameof(dataPoints), $"an axis needs at least 2 data points, got {dataPoints}");
        if (padding < 1) throw new ArgumentOutOfRangeException(nameof(padding), $"trapezoidal edges need at least 1 padding point, got {padding}");
        var w = new float[dataPoints + padding];
        Array.Fill(w, 1f);
        w[0] = 0.5f;
        w[dataPoints - 1] = 0.5f;
        w[dataPoints] += 0.5f;
        w[^1] += 0.5f;
        return w;
    }

    /// <summary>
    /// The tensor product of the axis weights as a channels-last mask (1, m1, ..., md, 1) that
    /// broadcasts over a hidden field (batch, m1, ..., md, width).
    /// </summary>
    public static Tensor ChannelsLastMask(IReadOnlyList<long> dataPoints, IReadOnlyList<long> padding, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        int d = dataPoints.Count;
        Tensor? mask = null;
        for (int a = 0; a < d; a++)
        {
            var view = Enumerable.Repeat(1L, d + 2).ToArray();
            view[1 + a] = dataPoints[a] + padding[a];
            var axis = tensor(Axis(dataPoints[a], padding[a]), dtype: dtype, device: device).view(view);
            mask = mask is null ? axis : mask * axis;
        }
        return mask!.MoveToOuterDisposeScope();
    }
}
