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
        if (grid.SequenceEqual(trainingGrid)) return false;
        string extra = caveat is null ? "" : $"; {caveat}";
        Console.Error.WriteLine($"warning: {Path.GetFileName(data.SourcePath)} is on a {string.Join("x", grid)} grid and the model is trained on {string.Join("x", trainingGrid)}: results on it are zero-shot{extra}");
        return true;
    }
}
