using PdeOps.Cli.Infrastructure;
using PdeOps.Operators.Pinn;

namespace PdeOps.Cli.Workflows;

/// <summary>
/// What training PINNs on collocation points costs in memory, to refuse sizes the machine cannot
/// hold before any work (a run past it is killed by the system, or stopped by libtorch's allocator
/// with a message that names no option).
/// </summary>
internal static class PinnTrainingMemory
{
    /// <summary>
    /// Bytes per collocation point, problem and unit of the network's size (its width times its
    /// hidden layers plus two, plus its embedding): the autograd graph of u, its gradient and its
    /// second derivatives. Measured as the slope of peak resident memory, 33 KiB a point for the
    /// default network (width 32, 3 hidden layers, 16 Fourier features) with `hypino train --batch 2
    /// --interior-points` 2000 and 40 000 and `pinn solve --points` 2000 and 100 000; this rounds up.
    /// </summary>
    const double BytesPerPointAndUnit = 212;

    /// <summary>Copies of the parameters training keeps: weights, gradients, Adam's two moments, L-BFGS's history of 10 pairs.</summary>
    const double ParameterCopies = 24;

    /// <summary>
    /// Refuses <paramref name="points"/> points per problem for <paramref name="problems"/> problems
    /// at once of the network <paramref name="network"/> when they do not fit.
    /// </summary>
    public static void Require(PinnOptions network, long points, int problems, string what)
    {
        double units = (double)network.Width * (network.HiddenLayers + 2) + network.EmbeddingWidth;
        double parameters = network.ParameterShapes().Sum(s => s.Shape.Aggregate(1.0, (a, b) => a * b));
        MemoryBudget.Require(BytesPerPointAndUnit * units * points * problems + ParameterCopies * 4 * parameters * problems, what);
    }
}
