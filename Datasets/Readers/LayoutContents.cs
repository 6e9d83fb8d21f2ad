namespace PdeOps.Datasets.Readers;

/// <summary>What a layout reader found in a file: its arrays in presented form, its coordinate axes and its attributes.</summary>
internal sealed record LayoutContents(
    IReadOnlyList<SourceArray> Inputs,
    IReadOnlyList<SourceArray> Outputs,
    Dictionary<string, double[]> Coordinates,
    Dictionary<string, object> Attributes);
