using PdeOps.Cli.Infrastructure;
using PdeOps.Datasets.Storage;

namespace PdeOps.Cli.Workflows;

/// <summary>
/// Reads user-supplied fields (coefficients, forcings, initial states) named on the command line as
/// FILE.h5 or FILE.h5:DATASET, and checks them before any solver sees them: the dataset exists
/// (else the datasets present are listed), it is 2D or a stack of 2D fields, it fits in memory,
/// and every value is finite (and positive where asked), naming the first bad index.
/// </summary>
public static class InputFields
{
    /// <summary>
    /// Reads a 2D field of vertex values (H, W), or sample <paramref name="index"/> of a stack
    /// (N, H, W). Without an explicit dataset name the first of <paramref name="defaultNames"/>
    /// present in the file is used.
    /// </summary>
    public static (double[,] Field, string Description) Read(string spec, int index, params string[] defaultNames) =>
        Read(spec, index, positive: false, defaultNames);

    /// <summary>As <see cref="Read(string, int, string[])"/>; with <paramref name="positive"/> every value must also be positive (diffusion coefficients).</summary>
    /// <exception cref="DataFileException">The file or dataset is missing, of the wrong shape, or holds a bad value.</exception>
    /// <exception cref="UsageException">The field would not fit in memory.</exception>
    public static (double[,] Field, string Description) Read(string spec, int index, bool positive, params string[] defaultNames)
    {
        var (path, name) = Split(spec);
        using var reader = new FieldFileReader(path);
        var present = reader.DatasetNames;
        if (name.Length == 0)
        {
            name = defaultNames.FirstOrDefault(n => present.Contains(n))
                ?? throw new DataFileException(path, $"no dataset named {string.Join(" or ", defaultNames.Select(n => $"'{n}'"))}; name one as {path}:DATASET (datasets present: {List(present)})");
        }
        else if (!present.Contains(name))
            throw new DataFileException(path, $"no dataset named '{name}' (datasets present: {List(present)})");
        var dims = reader.Dimensions(name);
        if (dims.Length != 2 && dims.Length != 3)
            throw new DataFileException(path, $"dataset '{name}' has shape ({string.Join(", ", dims)}); expected a field (H, W) or a stack (N, H, W)");
        ulong count = dims.Length == 3 ? dims[0] : 1, h = dims[^2], w = dims[^1];
        if (index < 0 || (ulong)index >= count)
            throw new DataFileException(path, $"sample {index} is outside 0..{(long)count - 1} of dataset '{name}' ({string.Join(", ", dims)})");
        MemoryBudget.Require(3.0 * h * w * sizeof(double), $"{spec} ({h} x {w})");
        if (h < 3 || w < 3)
            throw new DataFileException(path, $"dataset '{name}' is {h} x {w}; a field needs at least 3 x 3 vertices");
        var field = FieldSlices.Read2D(reader, name, index);
        string where = dims.Length == 3 ? $"sample {index} of dataset '{name}'" : $"dataset '{name}'";
        for (int j = 0; j < field.GetLength(0); j++)
            for (int i = 0; i < field.GetLength(1); i++)
            {
                double v = field[j, i];
                if (!double.IsFinite(v))
                    throw new DataFileException(path, $"{where} holds {v} at [y, x] = [{j}, {i}] (the first bad value); inputs must be finite");
                if (positive && !(v > 0))
                    throw new DataFileException(path, $"{where} holds the non-positive value {v} at [y, x] = [{j}, {i}]; a diffusion coefficient must be positive");
            }
        return (field, $"{path}:{name}[{index}]");
    }

    /// <summary>Splits FILE.h5:DATASET (a colon inside an existing file name is part of the name).</summary>
    public static (string Path, string Dataset) Split(string spec)
    {
        int colon = spec.LastIndexOf(':');
        return colon > 0 && !File.Exists(spec) ? (spec[..colon], spec[(colon + 1)..]) : (spec, "");
    }

    static string List(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);

    /// <summary>Refuses a field that is not square, with its shape; the solvers' grids are square.</summary>
    /// <exception cref="DataFileException">The field is not square.</exception>
    public static void RequireSquare(double[,] field, string option, string description)
    {
        if (field.GetLength(0) != field.GetLength(1))
            throw new DataFileException(description, $"{option} is {field.GetLength(0)} x {field.GetLength(1)} vertices (H x W); the solvers need a square grid, H = W");
    }

    /// <summary>Checks that two fields have the same shape.</summary>
    public static void RequireSameShape(double[,] a, string aName, double[,] b, string bName)
    {
        if (a.GetLength(0) != b.GetLength(0) || a.GetLength(1) != b.GetLength(1))
            throw new UsageException($"{aName} is {a.GetLength(0)} x {a.GetLength(1)} but {bName} is {b.GetLength(0)} x {b.GetLength(1)}");
    }
}
