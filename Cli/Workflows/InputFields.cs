using PdeOps.Cli.Infrastructure;
using PdeOps.Datasets.Storage;

namespace PdeOps.Cli.Workflows;

/// <summary>Reads user-supplied fields (coefficients, forcings) named on the command line as FILE.h5 or FILE.h5:DATASET.</summary>
public static class InputFields
{
    /// <summary>
    /// Reads a 2D field of vertex values (H, W), or sample <paramref name="index"/> of a stack
    /// (N, H, W). Without an explicit dataset name the first of <paramref name="defaultNames"/>
    /// present in the file is used.
    /// </summary>
    public static (double[,] Field, string Description) Read(string spec, int index, params string[] defaultNames)
    {
        string path = spec, name = "";
        int colon = spec.LastIndexOf(':');
        if (colon > 0 && !File.Exists(spec)) { path = spec[..colon]; name = spec[(colon + 1)..]; }
        using var reader = new FieldFileReader(path);
        if (name.Length == 0)
        {
            name = defaultNames.FirstOrDefault(n => reader.DatasetNames.Contains(n))
                ?? throw new DataFileException(path, $"no dataset named {string.Join(" or ", defaultNames)}; name one as {path}:DATASET (found: {string.Join(", ", reader.DatasetNames)})");
        }
        var field = FieldSlices.Read2D(reader, name, index);
        if (field.GetLength(0) < 3 || field.GetLength(1) < 3)
            throw new DataFileException(path, $"dataset '{name}' is {field.GetLength(0)} x {field.GetLength(1)}; a field needs at least 3 x 3 vertices");
        return (field, $"{path}:{name}[{index}]");
    }

    /// <summary>Checks that two fields have the same shape.</summary>
    public static void RequireSameShape(double[,] a, string aName, double[,] b, string bName)
    {
        if (a.GetLength(0) != b.GetLength(0) || a.GetLength(1) != b.GetLength(1))
            throw new UsageException($"{aName} is {a.GetLength(0)} x {a.GetLength(1)} but {bName} is {b.GetLength(0)} x {b.GetLength(1)}");
    }
}
