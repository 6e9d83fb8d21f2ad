using System.Diagnostics.CodeAnalysis;

namespace PdeOps.Distributed;

/// <summary>How <see cref="ICommunicator.Allreduce(Span{float}, ReduceOperation)"/> combines the ranks' values element by element.</summary>
public enum ReduceOperation
{
    /// <summary>The sum over ranks.</summary>
    Sum,
    /// <summary>The largest value.</summary>
    Max,
    /// <summary>The smallest value.</summary>
    Min,
}

/// <summary>
/// The processes (ranks) of one job and the collective operations among them, after MPI's
/// communicators: every rank must call each collective in the same order with the same sizes, or
/// the job hangs. <see cref="Collectives"/> adds the checks built on them (agreement on failure,
/// identical settings). Implementations: <see cref="SingleProcessCommunicator"/> (one rank, no MPI)
/// and the MPI world of <see cref="Communicators.ForLaunch"/>.
/// </summary>
public interface ICommunicator : IDisposable
{
    /// <summary>This process's rank, 0 to <see cref="Size"/> - 1.</summary>
    int Rank { get; }

    /// <summary>Ranks in the job.</summary>
    int Size { get; }

    /// <summary>What carries the messages, e.g. "Open MPI v4.1.4, 2 ranks" or "one process".</summary>
    string Description { get; }

    /// <summary>Combines <paramref name="values"/> over all ranks in place: afterwards every rank holds the same result.</summary>
    void Allreduce(Span<float> values, ReduceOperation operation);

    /// <summary>Combines <paramref name="values"/> over all ranks in place: afterwards every rank holds the same result.</summary>
    void Allreduce(Span<double> values, ReduceOperation operation);

    /// <summary>Copies <paramref name="data"/> of rank <paramref name="root"/> into <paramref name="data"/> of every rank (same length on all).</summary>
    void Broadcast(Span<byte> data, int root);

    /// <summary>Returns once every rank has called it.</summary>
    void Barrier();

    /// <summary>Ends every rank of the job at once with <paramref name="exitCode"/>: the way out when ranks can no longer meet in a collective.</summary>
    [DoesNotReturn]
    void Abort(int exitCode);
}
