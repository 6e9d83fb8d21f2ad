using System.Diagnostics;
using PdeOps.Distributed;
using PdeOps.Operators.Models;
using static TorchSharp.torch;

namespace PdeOps.Operators.Training;

/// <summary>
/// The ranks that train one model together by data parallelism (as PyTorch's
/// DistributedDataParallel): every rank holds the whole model and optimizer, takes a contiguous
/// share of each global batch, and after its backward pass the gradients are summed over the ranks
/// in one flat buffer (<see cref="ReduceGradients"/>), so that every rank applies the same update a
/// single process would. Rank 0 alone writes the run folder. A group of one rank is the plain
/// single-process path: nothing is copied or reduced.
/// </summary>
internal sealed class DataParallelGroup(ICommunicator communicator) : IDisposable
{
    /// <summary>The flat buffer MPI reduces (pinned) and a tensor over the same memory, so that gradients move in and out by libtorch copies.</summary>
    float[] _bucket = [];
    Tensor? _flat;
    readonly Stopwatch _communication = new();

    /// <summary>The communicator of the group.</summary>
    public ICommunicator Communicator { get; } = communicator;
    /// <summary>This rank.</summary>
    public int Rank => Communicator.Rank;
    /// <summary>Ranks in the group.</summary>
    public int Size => Communicator.Size;
    /// <summary>True for the one rank that writes the run folder.</summary>
    public bool IsWriter => Communicator.Rank == 0;
    /// <summary>True for a single process.</summary>
    public bool Alone => Communicator.Size == 1;
    /// <summary>Time spent in the collectives of gradient reduction.</summary>
    public TimeSpan CommunicationTime => _communication.Elapsed;

    /// <summary>This rank's contiguous share [First, First + Count) of <paramref name="n"/> items; shares differ by at most one item.</summary>
    public (long First, long Count) Share(long n)
    {
        long first = n * Rank / Size, end = n * (Rank + 1) / Size;
        return (first, end - first);
    }

    /// <summary>
    /// Sums the parameters' gradients over the ranks in place, with the ranks' weighted losses and
    /// failures in the same buffer: returns the batch's loss. Each rank's gradient must already be
    /// weighted by its share of the batch, so that the sum is the gradient of the whole batch's mean
    /// loss. When a rank reports a failure, every rank stops (<see cref="Collectives.Agree"/>).
    /// Parameters without a gradient are left so; they are the same on every rank.
    /// </summary>
    public float ReduceGradients(IReadOnlyList<TorchSharp.Modules.Parameter> parameters, float weightedLoss, Exception? failure)
    {
        var flat = Flat(parameters, extra: 2);
        using (var scope = NewDisposeScope())
        using (var noGrad = no_grad())
        {
            long offset = 0;
            foreach (var p in parameters)
            {
                var slot = flat.narrow(0, offset, p.numel());
                if (failure is null && p.grad is { } grad) slot.copy_(Float32(grad).reshape(-1));
                else slot.zero_();
                offset += p.numel();
            }
        }
        _bucket[^2] = failure is null ? weightedLoss : 0;
        _bucket[^1] = failure is null ? 0 : 1;
        _communication.Start();
        Communicator.Allreduce(_bucket, ReduceOperation.Sum);
        _communication.Stop();
        if (_bucket[^1] > 0) Communicator.Agree(failure);
        using (var scope = NewDisposeScope())
        using (var noGrad = no_grad())
        {
            long offset = 0;
            foreach (var p in parameters)
            {
                if (p.grad is { } grad) grad.copy_(flat.narrow(0, offset, p.numel()).view(grad.shape));
                offset += p.numel();
            }
        }
        return _bucket[^2];
    }

    /// <summary>Copies rank 0's parameters to every rank.</summary>
    public void BroadcastParameters(NeuralOperatorModel model)
    {
        if (Alone) return;
        var parameters = model.parameters().ToList();
        var flat = Flat(parameters, extra: 2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long offset = 0;
        foreach (var p in parameters)
        {
            flat.narrow(0, offset, p.numel()).copy_(Float32(p).reshape(-1));
            offset += p.numel();
        }
        Communicator.Broadcast(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_bucket.AsSpan(0, (int)offset)), 0);
        offset = 0;
        foreach (var p in parameters)
        {
            p.copy_(flat.narrow(0, offset, p.numel()).view(p.shape));
            offset += p.numel();
        }
    }

    /// <summary>The tensor over the flat buffer, sized for <paramref name="parameters"/> and <paramref name="extra"/> more values.</summary>
    Tensor Flat(IReadOnlyList<TorchSharp.Modules.Parameter> parameters, int extra)
    {
        long total = parameters.Sum(p => p.numel()) + extra;
        if (_flat is null || _bucket.Length != total)
        {
            _flat?.Dispose();
            _bucket = GC.AllocateArray<float>(checked((int)total), pinned: true);
            _flat = from_array(_bucket).DetachFromDisposeScope();
        }
        return _flat;
    }

    /// <summary>Refuses, on every rank, weights that differ between ranks (a reduction that was not bitwise the same everywhere).</summary>
    public void CheckInSync(NeuralOperatorModel model, int epoch)
    {
        if (Alone) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double sum = 0;
        foreach (var p in model.parameters()) sum += p.to_type(ScalarType.Float64).sum().item<double>();
        Span<double> range = [sum, -sum];
        Communicator.Allreduce(range, ReduceOperation.Max);
        if (range[0] != -range[1])
            throw new InvalidOperationException($"the ranks' weights differ after epoch {epoch} (checksums {-range[1]:R} to {range[0]:R}): the MPI reduction did not give every rank the same sums");
    }

    /// <summary>Sums <paramref name="values"/> over the ranks in place.</summary>
    public void Sum(Span<double> values)
    {
        if (!Alone) Communicator.Allreduce(values, ReduceOperation.Sum);
    }

    /// <summary>A parameter or gradient, checked to be float32 (the type of the flat buffer).</summary>
    static Tensor Float32(Tensor t) => t.dtype == ScalarType.Float32 ? t
        : throw new NotSupportedException($"data-parallel training reduces float32 parameters; this model has {t.dtype} ones");

    /// <summary>Releases the tensor over the flat buffer.</summary>
    public void Dispose() => _flat?.Dispose();
}
