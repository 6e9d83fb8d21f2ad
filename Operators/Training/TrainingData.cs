using PdeOps.Datasets.Readers;
using static TorchSharp.torch;

namespace PdeOps.Operators.Training;

/// <summary>
/// A dataset as tensors for training or evaluation: normalized inputs (N, Cin, grid...) and raw
/// outputs (N, Cout, grid...), with the normalizations that produced them. The tensors live outside
/// any dispose scope and are released by <see cref="Dispose"/>.
/// </summary>
public sealed class TrainingData : IDisposable
{
    TrainingData(Tensor inputs, Tensor outputs, int[] grid, int[] inputChannels, int[] outputChannels)
    {
        Inputs = inputs; Outputs = outputs; Grid = grid; InputChannels = inputChannels; OutputChannels = outputChannels;
    }

    /// <summary>Normalized inputs (N, Cin, grid...).</summary>
    public Tensor Inputs { get; }
    /// <summary>Raw outputs (N, Cout, grid...).</summary>
    public Tensor Outputs { get; }
    /// <summary>Grid points per axis.</summary>
    public int[] Grid { get; }
    /// <summary>Channels of each input array.</summary>
    public int[] InputChannels { get; }
    /// <summary>Channels of each output array.</summary>
    public int[] OutputChannels { get; }
    /// <summary>Samples.</summary>
    public long Samples => Inputs.shape[0];

    /// <summary>Builds the tensors of <paramref name="data"/> with the given (already fitted) normalizations.</summary>
    public static TrainingData Create(OperatorDataset data, ChannelNormalization inputs, ChannelNormalization outputs, int spatialDims)
    {
        var inArrays = inputs.Names.Select(data.Input).ToList();
        var outArrays = outputs.Names.Select(data.Output).ToList();
        var (x, xShape) = inputs.Stack(inArrays, spatialDims, encode: true);
        var (y, yShape) = outputs.Stack(outArrays, spatialDims, encode: false);
        if (!xShape[2..].SequenceEqual(yShape[2..]))
            throw new ArgumentException($"inputs are on a ({string.Join(", ", xShape[2..])}) grid but outputs on ({string.Join(", ", yShape[2..])})");
        var xt = tensor(x, xShape).DetachFromDisposeScope();
        var yt = tensor(y, yShape).DetachFromDisposeScope();
        return new TrainingData(xt, yt, xShape[2..].Select(v => (int)v).ToArray(),
            inArrays.Select(a => ChannelNormalization.ChannelsOf(a, spatialDims)).ToArray(),
            outArrays.Select(a => ChannelNormalization.ChannelsOf(a, spatialDims)).ToArray());
    }

    /// <summary>Tensors (1, Cout, grid...) with raw = scale * normalized + offset for the outputs on this grid, on the data's device.</summary>
    public (Tensor Scale, Tensor Offset) OutputDecoder(ChannelNormalization outputs)
    {
        var (scale, offset) = outputs.DecodeAffine(OutputChannels, Grid);
        long[] shape = [1, OutputChannels.Sum(), .. Grid.Select(g => (long)g)];
        return (tensor(scale, shape).to(Inputs.device).DetachFromDisposeScope(), tensor(offset, shape).to(Inputs.device).DetachFromDisposeScope());
    }

    /// <summary>This data on <paramref name="device"/> (this instance itself on its own device; else a copy, and this one is disposed).</summary>
    internal TrainingData To(Device device)
    {
        if (Inputs.device == device) return this;
        var moved = new TrainingData(Inputs.to(device).DetachFromDisposeScope(), Outputs.to(device).DetachFromDisposeScope(), Grid, InputChannels, OutputChannels);
        Dispose();
        return moved;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Inputs.Dispose();
        Outputs.Dispose();
    }
}
