using PdeOps.Operators.Layers.Attention;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using static TorchSharp.torch;

namespace PdeOps.Operators.Training;

/// <summary>
/// Trains a point operator (<see cref="PointNeuralOperator"/>) on a random subset of each grid
/// sample's points: every step draws, for every sample, <see cref="Fraction"/> of the grid points
/// without replacement, feeds the model only those points (their weights rescaled to the domain
/// measure) and measures the relative L2 error there with the same weights. The model then never
/// sees a whole grid in training, as with point-cloud data. The draw depends on (seed, step) only,
/// so a resumed run draws what an uninterrupted one would.
/// </summary>
public sealed class PointSubsetObjective : ITrainingObjective
{
    /// <summary>Odd multiplier separating the streams of (seed, step) pairs.</summary>
    const long StepSeedStride = 1_000_033;

    /// <summary>Creates the objective.</summary>
    /// <param name="fraction">Share of each sample's points used, in (0, 1].</param>
    /// <param name="convention">Grid convention of the data (the points' quadrature).</param>
    /// <param name="seed">Seed of the subsets.</param>
    public PointSubsetObjective(double fraction, GridConvention convention, long seed)
    {
        if (!(fraction > 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the fraction of points must lie in (0, 1]");
        Fraction = fraction;
        Convention = convention;
        Seed = seed;
    }

    /// <summary>Share of each sample's points used.</summary>
    public double Fraction { get; }
    /// <summary>Grid convention of the data.</summary>
    public GridConvention Convention { get; }
    /// <summary>Seed of the subsets.</summary>
    public long Seed { get; }

    /// <inheritdoc/>
    public Tensor Loss(NeuralOperatorModel model, TrainingBatch batch)
    {
        if (model is not PointNeuralOperator points)
            throw new ArgumentException($"training on point subsets needs a point operator (attention, transolver), not {model.ModelName}");
        long b = batch.Inputs.shape[0];
        int[] grid = batch.Inputs.shape[2..].Select(n => (int)n).ToArray();
        using var all = PointSet.Grid(grid, Convention, b, batch.Inputs.dtype, batch.Inputs.device);
        long n = all.Count, k = Math.Max(2, (long)Math.Round(Fraction * n));
        using var generator = new Generator((ulong)(Seed * StepSeedStride + batch.Step));
        // Per sample, the first k of a random permutation: argsort of uniform noise, drawn for the
        // whole batch so that a rank's share of it draws what one process would.
        var index = rand([batch.BatchSize, n], generator: generator).narrow(0, batch.BatchOffset, b).argsort(1).narrow(1, 0, k).to(all.Coordinates.device);
        using var subset = all.Subset(index);
        Tensor Gather(Tensor field) => field.flatten(2).transpose(1, 2).gather(1, index.unsqueeze(-1).expand(-1, -1, field.shape[1]));
        var prediction = batch.DecodePoints(points.ForwardPoints(Gather(batch.Inputs), subset), index);   // (B, k, out)
        var target = Gather(batch.Targets);
        var w = subset.Weights.to(prediction.dtype).unsqueeze(-1);
        var error = ((prediction - target).square() * w).sum([1, 2]);
        var norm = (target.square() * w).sum([1, 2]);
        return (error / norm).sqrt().mean();
    }
}
