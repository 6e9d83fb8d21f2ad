namespace PdeOps.Operators.Runtime;

/// <summary>What <see cref="TorchShimPatch.Decide"/> found.</summary>
internal enum TorchShimDecision
{
    /// <summary>The shim asks nothing the host may lack (or asks it weakly already): load it as shipped.</summary>
    ShimAsShipped,

    /// <summary>The host's libstdc++ defines the version: load the shim as shipped.</summary>
    HostHasVersion,

    /// <summary>The host's libstdc++ lacks the version: load a copy whose need of it is weak.</summary>
    Patch,
}

/// <summary>
/// TorchSharp 0.107's native shim, libLibTorchSharp.so, is built with GCC 13 and asks GLIBCXX_3.4.32
/// of libstdc++.so.6, which older hosts lack (Debian 12 stops at 3.4.30), so the dynamic loader
/// refuses it and every TorchSharp call fails. The only symbol of that version it uses is
/// std::ios_base_library_init(), which nothing relocates against, so a copy whose need is marked
/// weak (<see cref="ElfVersionNeed.MarkWeak"/>) loads and works. This decides when the copy is
/// needed and writes it to a per-user cache, atomically, so concurrent processes never see half a file.
/// </summary>
internal static class TorchShimPatch
{
    /// <summary>The shim's file name on Linux.</summary>
    public const string ShimFileName = "libLibTorchSharp.so";

    /// <summary>The libstdc++ version the shim asks and older hosts lack.</summary>
    public const string Version = "GLIBCXX_3.4.32";

    /// <summary>
    /// Whether <paramref name="shim"/> needs the patched copy on a host whose libstdc++ defines
    /// <paramref name="hostVersions"/> (null when they could not be read: then the copy is made,
    /// which is harmless where the version exists).
    /// </summary>
    public static TorchShimDecision Decide(ElfImage shim, IReadOnlySet<string>? hostVersions)
    {
        if (!shim.VersionNeeds.Any(n => n.Version == Version && !n.IsWeak)) return TorchShimDecision.ShimAsShipped;
        if (hostVersions is not null && hostVersions.Contains(Version)) return TorchShimDecision.HostHasVersion;
        return TorchShimDecision.Patch;
    }

    /// <summary>
    /// The per-user cache folder of the patched shim: $XDG_CACHE_HOME (else ~/.cache) /pdeops/torchsharp/<paramref name="torchSharpVersion"/>.
    /// </summary>
    public static string CacheDirectory(string torchSharpVersion)
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg) ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify), ".cache");
        return Path.Combine(root, "pdeops", "torchsharp", torchSharpVersion);
    }

    /// <summary>
    /// Writes the patched copy of the shim whose bytes are <paramref name="shipped"/> to
    /// <paramref name="cacheDirectory"/> unless an identical copy is there already, and returns its path.
    /// The copy is written under a name of this process's own and renamed into place.
    /// </summary>
    /// <exception cref="InvalidDataException">The shim is not an ELF64 file, or does not ask <see cref="Version"/>.</exception>
    /// <exception cref="IOException">The folder or file could not be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public static string WriteCachedCopy(byte[] shipped, string cacheDirectory)
    {
        var patched = ElfImage.Parse((byte[])shipped.Clone());
        if (ElfVersionNeed.MarkWeak(patched, Version) == 0 && !patched.VersionNeeds.Any(n => n.Version == Version))
            throw new InvalidDataException($"the shim does not ask {Version}");
        string path = Path.Combine(cacheDirectory, ShimFileName);
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(patched.Bytes)) return path;
        Directory.CreateDirectory(cacheDirectory);
        string partial = Path.Combine(cacheDirectory, $".{ShimFileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        try
        {
            File.WriteAllBytes(partial, patched.Bytes);
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
        return path;
    }
}
