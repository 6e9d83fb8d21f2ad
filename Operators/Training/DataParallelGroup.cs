using System.Diagnostics;
using PdeOps.Distributed;
using PdeOps.Operators.Models;
using TorchSharp;
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
internal sealed class DataParallelGroup(ICommunicator communicator)
{
    float[] _bucket = [];
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
        long total = parameters.Sum(p => p.numel());
        if (_bucket.Length != total + 2) _bucket = new float[total + 2];
        var bucket = _bucket.AsSpan();
        long offset = 0;
        foreach (var p in parameters)
        {
            int n = checked((int)p.numel());
            var slot = bucket.Slice((int)offset, n);
            if (failure is null && p.grad is { } grad) Host(grad).data<float>().CopyTo(slot);
            else slot.Clear();
            offset += n;
        }
        bucket[^2] = failure is null ? weightedLoss : 0;
        bucket[^1] = failure is null ? 0 : 1;
        _communication.Start();
        Communicator.Allreduce(bucket, ReduceOperation.Sum);
        _communication.Stop();
        if (bucket[^1] > 0) Communicator.Agree(failure);
        offset = 0;
        foreach (var p in parameters)
        {
            int n = (int)p.numel();
            if (p.grad is { } grad) Store(grad, bucket.Slice((int)offset, n));
            offset += n;
        }
        return bucket[^2];
    }

    /// <summary>Copies rank 0's parameters to every rank.</summary>
    public void BroadcastParameters(NeuralOperatorModel model)
    {
        if (Alone) return;
        using var noGrad = no_grad();
        foreach (var p in model.parameters())
        {
            var values = new float[p.numel()];
            Host(p).data<float>().CopyTo(values);
            Communicator.Broadcast(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()), 0);
            Store(p, values);
        }
    }

    /// <summary>Refuses, on every rank, weights that differ between ranks (a reduction that was not bitwise the same everywhere).</summary>
    public void CheckInSync(NeuralOperatorModel model, int epoch)
    {
        if (Alone) return;
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

    /// <summary>A parameter or gradient as contiguous float32 in host memory (itself when it is so already): the layout of the flat buffer.</summary>
    static Tensor Host(Tensor t)
    {
        if (t.dtype != ScalarType.Float32) throw new NotSupportedException($"data-parallel training reduces float32 parameters; this model has {t.dtype} ones");
        return t.device_type == DeviceType.CPU && t.is_contiguous() ? t : t.cpu().contiguous();
    }

    /// <summary>Writes <paramref name="values"/> into <paramref name="t"/> in place, on whatever device it lives.</summary>
    static void Store(Tensor t, ReadOnlySpan<float> values)
    {
        if (t.device_type == DeviceType.CPU && t.is_contiguous()) { t.data<float>().CopyFrom(values); return; }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        t.copy_(tensor(values.ToArray(), t.shape).to(t.device));
    }
}
