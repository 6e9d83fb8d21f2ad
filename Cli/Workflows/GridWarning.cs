using PdeOps.Datasets.Readers;

namespace PdeOps.Cli.Workflows;

/// <summary>
/// The one warning train, eval and predict print, alike, when data lie on a grid other than the
/// one a model is (or is being) trained on: results there are zero-shot.
/// </summary>
public static class GridWarning
{
    /// <summary>Writes the warning on stderr when <paramref name="data"/>'s grid differs from <paramref name="trainingGrid"/>; returns whether it did.</summary>
    public static bool Report(IReadOnlyList<int> trainingGrid, OperatorDataset data, string? caveat = null)
    {
        if (data.Inputs.Count == 0) return false;
        int[] grid = data.Inputs[0].Shape[^trainingGrid.Count..];
        return Report(trainingGrid, grid, $"{Path.GetFileName(data.SourcePath)} is on a", caveat);
    }

    /// <summary>
    /// The same warning for a model that reads <paramref name="data"/> on the nested grid of
    /// <paramref name="coarse"/> points per side (<c>--predict-grid</c>): silent when that is its training grid.
    /// </summary>
    public static bool ReportNested(IReadOnlyList<int> trainingGrid, OperatorDataset data, int coarse, string? caveat = null) =>
        Report(trainingGrid, [.. trainingGrid.Select(_ => coarse)], $"{Path.GetFileName(data.SourcePath)} is read on the nested", caveat);

    static bool Report(IReadOnlyList<int> trainingGrid, int[] grid, string subject, string? caveat)
    {
        if (grid.SequenceEqual(trainingGrid)) return false;
        string extra = caveat is null ? "" : $"; {caveat}";
        Console.Error.WriteLine($"warning: {subject} {string.Join("x", grid)} grid and the model is trained on {string.Join("x", trainingGrid)}: results on it are zero-shot{extra}");
        return true;
    }
}
