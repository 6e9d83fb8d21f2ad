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
internal sealed class NestedGridPrediction
{
    readonly NeuralOperator _op;
    readonly int _fine, _coarse, _stride;

    NestedGridPrediction(NeuralOperator op, int fine, int coarse, int stride) => (_op, _fine, _coarse, _stride) = (op, fine, coarse, stride);

    /// <summary>Points per side of the grid the operator reads.</summary>
    public int Coarse => _coarse;

    /// <summary>The nested prediction for <paramref name="data"/> on <paramref name="grid"/>, or an exception naming why the grids do not nest.</summary>
    /// <exception cref="InvalidDataException">The data is not on a square two-dimensional vertex grid in which an N x N grid nests.</exception>
    public static NestedGridPrediction For(NeuralOperator op, OperatorDataset data, int[] grid, int coarse)
    {
        string file = Path.GetFileName(data.SourcePath);
        if (op.SpatialDims != 2 || grid.Length != 2 || grid[0] != grid[1])
            throw new InvalidDataException($"--predict-grid needs a square two-dimensional grid; {file} is {string.Join(" x ", grid)}");
        if (data.GridConvention is not DatasetGridConvention.Closed)
            throw new InvalidDataException($"--predict-grid needs vertex-centred (closed) grids, whose coarse vertices are fine ones; {file} says {data.GridConvention?.ToString() ?? "nothing"}");
        int stride = VertexGridTransfer.Stride(grid[0], coarse)
            ?? throw new InvalidDataException($"--predict-grid {coarse} does not nest in the {grid[0]} x {grid[0]} grid of {file}: {grid[0]} - 1 must be a multiple of {coarse} - 1");
        return new NestedGridPrediction(op, grid[0], coarse, stride);
    }

    /// <summary>Predicts <paramref name="batch"/> samples given on the data's grid and writes the outputs on it.</summary>
    public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs, int batch)
    {
        int finePoints = _fine * _fine, coarsePoints = _coarse * _coarse;
        int inChannels = _op.InputChannels, outChannels = _op.OutputChannels;
        var coarseInputs = new float[batch * inChannels * coarsePoints];
        for (int c = 0; c < batch * inChannels; c++)
            VertexGridTransfer.Subsample(inputs.Slice(c * finePoints, finePoints), _fine, _stride, coarseInputs.AsSpan(c * coarsePoints, coarsePoints));
        var coarseOutputs = new float[batch * outChannels * coarsePoints];
        _op.PredictBatch(coarseInputs, coarseOutputs, batch, _coarse, _coarse);
        for (int c = 0; c < batch * outChannels; c++)
            VertexGridTransfer.Interpolate<float>(coarseOutputs.AsSpan(c * coarsePoints, coarsePoints), _coarse, _stride, outputs.Slice(c * finePoints, finePoints));
    }
}
