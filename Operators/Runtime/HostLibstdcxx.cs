namespace PdeOps.Operators.Runtime;

/// <summary>
/// The C++ standard library this process uses on Linux: the libstdc++.so.6 already mapped (the .NET
/// runtime loads it), else the first of the usual system paths, and the symbol versions it defines.
/// </summary>
internal static class HostLibstdcxx
{
    static readonly string[] SystemPaths =
    [
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    ];

    /// <summary>The library's path, or null when none is found.</summary>
    public static string? Find()
    {
        const string maps = "/proc/self/maps";
        if (File.Exists(maps))
        {
            // Lines end with the mapped file's path: "7f..-7f.. r--p 00000000 fe:01 1234   /usr/lib/.../libstdc++.so.6.0.30".
            foreach (string line in File.ReadLines(maps))
            {
                int slash = line.IndexOf('/');
                if (slash >= 0 && Path.GetFileName(line.AsSpan(slash)).StartsWith("libstdc++.so", StringComparison.Ordinal))
                    return line[slash..];
            }
        }
        return SystemPaths.FirstOrDefault(File.Exists);
    }

    /// <summary>The versions the library at <paramref name="path"/> defines, or null when it cannot be read.</summary>
    public static IReadOnlySet<string>? DefinedVersions(string? path)
    {
        if (path is null) return null;
        try
        {
            return ElfImage.Load(path).DefinedVersions;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
