using System.Diagnostics.CodeAnalysis;

namespace PdeOps.Distributed;

/// <summary>A job of one process: every collective returns its input. Needs no MPI library.</summary>
public sealed class SingleProcessCommunicator : ICommunicator
{
    /// <summary>The one-process communicator.</summary>
    public static SingleProcessCommunicator Instance { get; } = new();

    SingleProcessCommunicator() { }

    /// <inheritdoc/>
    public int Rank => 0;
    /// <inheritdoc/>
    public int Size => 1;
    /// <inheritdoc/>
    public string Description => "one process";

    /// <inheritdoc/>
    public void Allreduce(Span<float> values, ReduceOperation operation) { }
    /// <inheritdoc/>
    public void Allreduce(Span<double> values, ReduceOperation operation) { }

    /// <inheritdoc/>
    public void Broadcast(Span<byte> data, int root)
    {
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), root, "a one-process job has only rank 0");
    }

    /// <inheritdoc/>
    public void Barrier() { }

    /// <inheritdoc/>
    [DoesNotReturn]
    public void Abort(int exitCode) => Environment.Exit(exitCode);

    /// <summary>Nothing to release.</summary>
    public void Dispose() { }
}
