using System.Diagnostics.CodeAnalysis;

namespace PdeOps.Distributed.Mpi;

/// <summary>
/// MPI_COMM_WORLD of Open MPI. Created once per process (MPI can be initialised only once);
/// <see cref="Dispose"/> finalises MPI. Collectives longer than an MPI count (2^31 - 1 elements)
/// are split into pieces.
/// </summary>
internal sealed unsafe class MpiCommunicator : ICommunicator
{
    const int Piece = 1 << 28;
    static readonly object Gate = new();
    static MpiCommunicator? _world;
    readonly OpenMpiLibrary _mpi;
    bool _disposed;

    MpiCommunicator(OpenMpiLibrary mpi)
    {
        _mpi = mpi;
        Rank = mpi.CommRank(mpi.CommWorld);
        Size = mpi.CommSize(mpi.CommWorld);
    }

    /// <summary>The world communicator, initialising MPI on first use.</summary>
    /// <exception cref="MpiException">MPI cannot be loaded or initialised, or was finalised already.</exception>
    public static MpiCommunicator World()
    {
        lock (Gate)
        {
            if (_world is { _disposed: false }) return _world;
            var mpi = OpenMpiLibrary.Load();
            if (mpi.Finalized) throw new MpiException("MPI was finalised already in this process; it cannot be started twice");
            if (!mpi.Initialized) mpi.Init();
            return _world = new MpiCommunicator(mpi);
        }
    }

    public int Rank { get; }
    public int Size { get; }
    public string Description => $"{_mpi.Version.Split(',')[0]}, {Size} ranks";

    public void Allreduce(Span<float> values, ReduceOperation operation)
    {
        fixed (float* p = values)
            for (int first = 0; first < values.Length; first += Piece)
                _mpi.AllreduceInPlace(p + first, Math.Min(Piece, values.Length - first), _mpi.Float, Op(operation), _mpi.CommWorld);
    }

    public void Allreduce(Span<double> values, ReduceOperation operation)
    {
        fixed (double* p = values)
            for (int first = 0; first < values.Length; first += Piece)
                _mpi.AllreduceInPlace(p + first, Math.Min(Piece, values.Length - first), _mpi.Double, Op(operation), _mpi.CommWorld);
    }

    public void Broadcast(Span<byte> data, int root)
    {
        if (root < 0 || root >= Size) throw new ArgumentOutOfRangeException(nameof(root), root, $"not a rank of {Size}");
        fixed (byte* p = data)
            for (int first = 0; first < data.Length; first += Piece)
                _mpi.Bcast(p + first, Math.Min(Piece, data.Length - first), _mpi.Byte, root, _mpi.CommWorld);
    }

    public void Barrier() => _mpi.Barrier(_mpi.CommWorld);

    [DoesNotReturn]
    public void Abort(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        _mpi.Abort(_mpi.CommWorld, exitCode);
        Environment.Exit(exitCode);
    }

    nint Op(ReduceOperation operation) => operation switch
    {
        ReduceOperation.Sum => _mpi.Sum,
        ReduceOperation.Max => _mpi.Max,
        ReduceOperation.Min => _mpi.Min,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown reduction"),
    };

    /// <summary>Finalises MPI (every rank must call it).</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed) return;
            _disposed = true;
            if (!_mpi.Finalized) _mpi.FinalizeMpi();
        }
    }
}
