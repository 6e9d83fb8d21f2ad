using System.Reflection;

namespace PdeOps.Physics.IO;

/// <summary>
/// The version of the PdeOps libraries, as every file they write records it (HDF5 provenance,
/// checkpoints, benchmark results): the informational version without build metadata. One place,
/// so that a dataset, a checkpoint and the CLI never disagree.
/// </summary>
public static class PdeOpsVersion
{
    /// <summary>The version, e.g. "0.1.0".</summary>
    public static string Current { get; } =
        typeof(PdeOpsVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(PdeOpsVersion).Assembly.GetName().Version?.ToString(3) ?? "unknown";
}
