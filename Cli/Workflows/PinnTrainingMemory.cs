using PdeOps.Cli.Infrastructure;

namespace PdeOps.Cli.Workflows;

/// <summary>
/// What training PINNs on collocation points costs in memory, to refuse point counts the machine
/// cannot hold before any work (a run past it is killed by the system, not stopped with a message).
/// </summary>
internal static class PinnTrainingMemory
{
    /// <summary>
    /// Bytes per collocation point and problem: the autograd graph of u, its gradient and its
    /// second derivatives through a width-32 network. Measured as the slope of peak resident
    /// memory: 33 KiB with `hypino train --batch 2 --interior-points` 2000 and 40 000 and with
    /// `pinn solve --points` 2000 and 100 000, one thread; a tenth more for safety.
    /// </summary>
    const double BytesPerPoint = 36 * 1024;

    /// <summary>Refuses <paramref name="points"/> points per problem for <paramref name="problems"/> problems at once when they do not fit.</summary>
    public static void Require(long points, int problems, string what) =>
        MemoryBudget.Require(BytesPerPoint * points * problems, what);
}
