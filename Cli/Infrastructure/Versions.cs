namespace PdeOps.Cli.Infrastructure;

/// <summary>Version strings reported by the CLI and stored in file provenance.</summary>
public static class Versions
{
    /// <summary>The PdeOps version (the CLI assembly's informational version without build metadata).</summary>
    public static string PdeOps => global::PdeOps.Physics.IO.PdeOpsVersion.Current;

    /// <summary>The ILGPU version.</summary>
    public static string Ilgpu => typeof(ILGPU.Context).Assembly.GetName().Version?.ToString(3) ?? "unknown";
}
