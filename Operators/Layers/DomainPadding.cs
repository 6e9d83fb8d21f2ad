using System.Numerics;
using PdeOps.Operators.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Layers;

/// <summary>
/// Zero padding at the end of every spatial axis of a channels-last field, so that a Fourier
/// layer's periodic transform does not wrap the solution of a non-periodic problem around the
/// domain (Li et al. 2021; neuraloperator's <c>DomainPadding</c>). The padding is given in points
/// at a reference grid and scales with the grid, so the padded region keeps its physical length
/// at every resolution. With trapezoidal edges the padded interval is Padding + 1 spacings and a
/// mask weights the jumps between data and padding by the trapezoidal rule
/// (<see cref="TrapezoidalEdgeWeights"/>).
/// </summary>
public sealed class DomainPadding
{
    /// <summary>Creates the padding.</summary>
    /// <param name="padding">Points of padding per axis at <paramref name="referenceSize"/>; 0 for none.</param>
    /// <param name="referenceSize">Points per axis at which <paramref name="padding"/> holds; null: the same padding on every grid.</param>
    /// <param name="trapezoidalEdges">Weight the data-padding jumps by the trapezoidal rule.</param>
    public DomainPadding(int padding, int? referenceSize, bool trapezoidalEdges)
    {
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "padding cannot be negative");
        Padding = padding;
        ReferenceSize = referenceSize;
        TrapezoidalEdges = trapezoidalEdges;
    }

    /// <summary>Points of padding at the reference grid.</summary>
    public int Padding { get; }
    /// <summary>Points per axis at which <see cref="Padding"/> holds, or null for a fixed padding.</summary>
    public int? ReferenceSize { get; }
    /// <summary>Whether the data-padding jumps are weighted by the trapezoidal rule.</summary>
    public bool TrapezoidalEdges { get; }

    // What scales with the grid is the padded interval in spacings: Padding with the plain DFT,
    // Padding + 1 with trapezoidal edges, whose mask needs a padding point for each jump.
    int Excess => TrapezoidalEdges ? 1 : 0;

    /// <summary>The exact, possibly fractional, padding an axis of <paramref name="points"/> points should have.</summary>
    public double ScaledPadding(long points) => ReferenceSize is int reference
        ? (Padding + Excess) * (points - 1) / (double)(reference - 1) - Excess
        : Padding;

    /// <summary>Points of padding an axis of <paramref name="points"/> points gets: the scaled padding rounded.</summary>
    public long PaddingOf(long points) => Padding == 0 ? 0 : Math.Max(Excess, (long)Math.Round(ScaledPadding(points), MidpointRounding.AwayFromZero));

    /// <summary>
    /// Pads a channels-last field (batch, n1, ..., nd, channels) whose spatial sizes are
    /// <paramref name="spatial"/>; returns the padded field and, with trapezoidal edges, the mask
    /// that weights it before each spectral transform (null otherwise).
    /// </summary>
    public (Tensor Padded, Tensor? EdgeWeights) Pad(Tensor channelsLast, IReadOnlyList<long> spatial)
    {
        if (Padding == 0) return (channelsLast, null);
        int d = spatial.Count;
        long[] padding = spatial.Select(PaddingOf).ToArray();
        // F.pad lists (before, after) pairs from the last axis backwards; channels come last.
        var pad = new long[2 * (d + 1)];
        for (int a = 1; a <= d; a++) pad[2 * a + 1] = padding[d - a];
        var padded = F.pad(channelsLast, pad);
        var weights = TrapezoidalEdges ? TrapezoidalEdgeWeights.ChannelsLastMask(spatial, padding, padded.dtype, padded.device) : null;
        return (padded, weights);
    }

    /// <summary>Removes the padding from a channels-last field, keeping the first <paramref name="spatial"/> points of each axis.</summary>
    public Tensor Unpad(Tensor channelsLast, IReadOnlyList<long> spatial)
    {
        if (Padding == 0) return channelsLast;
        for (int a = 0; a < spatial.Count; a++) channelsLast = channelsLast.narrow(1 + a, 0, spatial[a]);
        return channelsLast;
    }

    /// <summary>
    /// Why results on <paramref name="grid"/> may be less accurate than on the reference grid:
    /// the scaled padding is not a whole number of points, or the grid is too coarse for it; null
    /// when it scales exactly.
    /// </summary>
    public string? Caveat(IReadOnlyList<long> grid)
    {
        if (Padding == 0 || ReferenceSize is not int reference) return null;
        foreach (long points in grid.Distinct())
        {
            double exact = ScaledPadding(points);
            if (exact < Excess - 1e-9)
                return $"the FNO padding of {Padding} points at {reference} scales to {exact:0.###} points at {points}, "
                    + $"padded with {PaddingOf(points)} instead: {points} points is too coarse a grid for this model's padded region";
            if (Math.Abs(exact - Math.Round(exact)) < 1e-9) continue;
            long step = (reference - 1) / (long)BigInteger.GreatestCommonDivisor(reference - 1, points - 1);
            string whole = TrapezoidalEdges ? $"one less than a multiple of {step}" : $"a multiple of {step}";
            return $"the FNO padding of {Padding} points at {reference} scales to {exact:0.###} points at {points}, "
                + $"rounded to {PaddingOf(points)}: the padded region differs from training, which costs accuracy; "
                + $"a padding that is {whole} at {reference} scales to whole points at {points}";
        }
        return null;
    }
}
