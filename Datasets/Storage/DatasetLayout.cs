namespace PdeOps.Datasets.Storage;

/// <summary>
/// Names of the root attributes of a PdeOps dataset file. The arrays are documented per family in
/// docs/datasets.md; every file carries these attributes, so tools can tell inputs from outputs
/// and reproduce the data.
/// </summary>
public static class DatasetLayout
{
    /// <summary>Value of <see cref="FormatAttribute"/> in PdeOps dataset files.</summary>
    public const string FormatName = "pdeops-dataset";
    /// <summary>Layout version written.</summary>
    public const long Version = 1;

    /// <summary>"pdeops-dataset".</summary>
    public const string FormatAttribute = "format";
    /// <summary>Layout version.</summary>
    public const string VersionAttribute = "format_version";
    /// <summary>Generator family, e.g. "darcy".</summary>
    public const string GeneratorAttribute = "generator";
    /// <summary>Comma-separated names of the input arrays.</summary>
    public const string InputsAttribute = "inputs";
    /// <summary>Comma-separated names of the output arrays.</summary>
    public const string OutputsAttribute = "outputs";
    /// <summary>Where the grid points lie: "closed", "periodic" or "cell-centred" (<see cref="DatasetGridConvention"/>).</summary>
    public const string GridConventionAttribute = "grid_convention";
    /// <summary>Seed of the run.</summary>
    public const string SeedAttribute = "seed";
    /// <summary>Samples in the whole run (all shards).</summary>
    public const string TotalSamplesAttribute = "total_samples";
    /// <summary>Index of this file's first sample in the whole run.</summary>
    public const string FirstSampleAttribute = "first_sample";
    /// <summary>"k/n" for a shard file; absent in a complete file.</summary>
    public const string ShardAttribute = "shard";
    /// <summary>Stored points per axis.</summary>
    public const string ResolutionAttribute = "resolution";
    /// <summary>Points per axis of the grid solved on.</summary>
    public const string FineResolutionAttribute = "fine_resolution";
    /// <summary>All generator parameters as a JSON object.</summary>
    public const string ParametersAttribute = "parameters";
    /// <summary>Prefix of the one-attribute-per-parameter copies (param_alpha, ...).</summary>
    public const string ParameterPrefix = "param_";
    /// <summary>Solver description.</summary>
    public const string SolverAttribute = "solver";
    /// <summary>Solver relative tolerance.</summary>
    public const string ToleranceAttribute = "tolerance";
    /// <summary>"float32" or "float64".</summary>
    public const string DtypeAttribute = "dtype";
    /// <summary>PdeOps version that wrote the file.</summary>
    public const string VersionOfPdeOpsAttribute = "pdeops_version";
    /// <summary>UTC creation time, ISO 8601.</summary>
    public const string CreatedAttribute = "created";
    /// <summary>Root attribute: comma-separated names of the per-sample string datasets (absent when there are none).</summary>
    public const string TextsAttribute = "texts";
}
