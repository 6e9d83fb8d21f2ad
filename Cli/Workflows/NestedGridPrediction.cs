using PdeOps.Datasets.Readers;
using PdeOps.Datasets.Storage;
using PdeOps.Operators.Inference;
using PdeOps.Solvers.Common;

namespace PdeOps.Cli.Workflows;

/// <summary>
/// <c>--predict-grid N</c>: the operator reads its inputs on the N x N grid nested in the data's
/// square vertex grid (every stride-th vertex) and its prediction is interpolated bilinearly back
/// to the data's grid. An operator trained on N x N answers there at its own resolution, at a
/// fraction of the cost of the full grid.
/// </summary>
/// <remarks>Keeps its buffers from pass to pass: one instance per thread.</remarks>
internal sealed class NestedGridPrediction
{
    readonly NeuralOperator _op;
    readonly int _fine, _coarse, _stride, _threads;

    NestedGridPrediction(NeuralOperator op, int fine, int coarse, int stride, int threads) =>
        (_op, _fine, _coarse, _stride, _threads) = (op, fine, coarse, stride, threads);

    /// <summary>Points per side of the grid the operator reads.</summary>
    public int Coarse => _coarse;

    /// <summary>
    /// The nested prediction for <paramref name="data"/> on <paramref name="grid"/>, or an exception naming why the grids do not nest.
    /// The interpolation back runs on up to <paramref name="threads"/> threads, one sample each.
    /// </summary>
    /// <exception cref="InvalidDataException">The data is not on a square two-dimensional vertex grid in which an N x N grid nests.</exception>
    public static NestedGridPrediction For(NeuralOperator op, OperatorDataset data, int[] grid, int coarse, int threads)
    {
        string file = Path.GetFileName(data.SourcePath);
        if (op.SpatialDims != 2 || grid.Length != 2 || grid[0] != grid[1])
            throw new InvalidDataException($"--predict-grid needs a square two-dimensional grid; {file} is {string.Join(" x ", grid)}");
        if (data.GridConvention is not DatasetGridConvention.Closed)
            throw new InvalidDataException($"--predict-grid needs vertex-centred (closed) grids, whose coarse vertices are fine ones; {file} says {data.GridConvention?.ToString() ?? "nothing"}");
        int stride = VertexGridTransfer.Stride(grid[0], coarse)
            ?? throw new InvalidDataException($"--predict-grid {coarse} does not nest in the {grid[0]} x {grid[0]} grid of {file}: {grid[0]} - 1 must be a multiple of {coarse} - 1");
        return new NestedGridPrediction(op, grid[0], coarse, stride, threads);
    }

    /// <summary>
    /// Predicts samples <paramref name="first"/> .. first + count - 1 of the operator's input fields
    /// (in its input order, on the data's grid) and writes the outputs on the data's grid to
    /// <paramref name="outputs"/> from <paramref name="offset"/> on. The inputs are read straight
    /// from the nested vertices: no copy of the fine fields is made.
    /// </summary>
    public void PredictSamples(IReadOnlyList<FieldArray> inputs, int first, int count, float[] outputs, int offset)
    {
        int coarsePoints = _coarse * _coarse;
        int inLength = count * _op.InputChannels * coarsePoints, outLength = count * _op.OutputChannels * coarsePoints;
        var coarseInputs = ReusedBuffer.AtLeast(ref _coarseInputs, inLength);
        int slot = 0;
        for (int s = 0; s < count; s++)
            foreach (var input in inputs)
            {
                var sample = input.Sample(first + s);
                for (int c = 0; c < sample.Length / (_fine * _fine); c++, slot++)
                    VertexGridTransfer.Subsample(sample.Slice(c * _fine * _fine, _fine * _fine), _fine, _stride, coarseInputs.AsSpan(slot * coarsePoints, coarsePoints));
            }
        var coarseOutputs = ReusedBuffer.AtLeast(ref _coarseOutputs, outLength);
        _op.PredictBatch(coarseInputs.AsSpan(0, inLength), coarseOutputs.AsSpan(0, outLength), count, _coarse, _coarse);
        Interpolate(coarseOutputs, outputs, offset, count * _op.OutputChannels);
    }

    // The coarse fields of a pass, kept for the next (a pass of 8 samples at 85^2 is 231 KB a buffer).
    float[] _coarseInputs = [], _coarseOutputs = [];

    // Each output field interpolated back, fields side by side: the operator's threads are idle by now.
    void Interpolate(float[] coarseOutputs, float[] outputs, int offset, int fields)
    {
        int finePoints = _fine * _fine, coarsePoints = _coarse * _coarse;
        Parallel.For(0, fields, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _threads) }, c =>
            VertexGridTransfer.Interpolate<float>(coarseOutputs.AsSpan(c * coarsePoints, coarsePoints), _coarse, _stride,
                outputs.AsSpan(offset + c * finePoints, finePoints)));
    }
}
