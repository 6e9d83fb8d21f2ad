using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace PdeOps.Operators.Runtime;

/// <summary>
/// Makes TorchSharp's natives load on Linux hosts whose libstdc++ is older than the one its shim was
/// built against (<see cref="TorchShimPatch"/>). When this assembly is first used it asks to hear of
/// native libraries that TorchSharp cannot find. Only when TorchSharp's own load of its shim fails,
/// and the host's libstdc++ lacks the version the shim asks, is a patched copy written to the cache,
/// the libtorch libraries the shim needs loaded from TorchSharp's own folders, and the copy loaded
/// and handed to TorchSharp; its later imports resolve to the copy directly. Everywhere else this
/// costs nothing and loads nothing. TorchSharp's first import is also the moment libtorch is in
/// the process and has run nothing yet: <see cref="OneDnnGuard"/> turns oneDNN off then.
/// </summary>
internal static class TorchNatives
{
    const string ShimImportName = "LibTorchSharp";

    static readonly object Gate = new();
    static bool s_attempted;
    static Exception? s_failure;
    static IntPtr s_shim;

    /// <summary>The patched copy loaded, or null when none was needed (or it has not been asked for yet).</summary>
    public static string? PatchedShimPath { get; private set; }

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "TorchSharp must find the patched shim, and oneDNN be off, whichever PdeOps type the caller touches first.")]
    internal static void Register()
    {
        // The caller may have loaded libtorch through TorchSharp before touching PdeOps.
        OneDnnGuard.ApplyIfLoaded();
        if (!OperatingSystem.IsLinux()) return;
        var torchSharp = typeof(TorchSharp.torch).Assembly;
        try
        {
            NativeLibrary.SetDllImportResolver(torchSharp, ResolveTorchSharpImport);
        }
        catch (InvalidOperationException)
        {
            // Someone else resolves TorchSharp's imports: the shim's failure still reaches the event
            // below, and oneDNN is turned off when a PdeOps model is built.
        }
        (AssemblyLoadContext.GetLoadContext(torchSharp) ?? AssemblyLoadContext.Default).ResolvingUnmanagedDll += (assembly, name) =>
            name == ShimImportName && assembly == torchSharp ? EnsureLoaded() : IntPtr.Zero;
    }

    [ThreadStatic] static bool t_resolving;
    static IntPtr s_resolved;

    /// <summary>
    /// TorchSharp's imports of its shim. The first loads it as usual (or, where that fails, through
    /// <see cref="EnsureLoaded"/>); libtorch is then in the process and has run nothing yet, which
    /// is when <see cref="OneDnnGuard"/> turns oneDNN off.
    /// </summary>
    static IntPtr ResolveTorchSharpImport(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != ShimImportName || t_resolving) return IntPtr.Zero;
        if (s_resolved != IntPtr.Zero) return s_resolved;
        t_resolving = true;
        try
        {
            IntPtr handle = NativeLibrary.TryLoad(name, assembly, searchPath, out var loaded) ? loaded : EnsureLoaded();
            if (handle != IntPtr.Zero)
            {
                OneDnnGuard.ApplyIfLoaded();
                s_resolved = handle;
            }
            return handle;
        }
        finally
        {
            t_resolving = false;
        }
    }

    /// <summary>
    /// Applies the fix once per process where it is needed and returns the handle of the patched
    /// shim, or zero when the shim needs no fix (or there is none to fix).
    /// </summary>
    /// <exception cref="DllNotFoundException">The patched shim could not be written or loaded; the message names the library, the version and the cache folder.</exception>
    public static IntPtr EnsureLoaded()
    {
        lock (Gate)
        {
            if (!s_attempted)
            {
                s_attempted = true;
                try
                {
                    s_shim = Apply();
                }
                catch (DllNotFoundException e)
                {
                    s_failure = e;
                }
            }
            return s_failure is null ? s_shim : throw s_failure;
        }
    }

    static IntPtr Apply()
    {
        if (!OperatingSystem.IsLinux()) return IntPtr.Zero;
        var directories = NativeDirectories();
        string? shipped = Find(directories, TorchShimPatch.ShimFileName);
        if (shipped is null) return IntPtr.Zero; // TorchSharp reports its missing natives itself.
        ElfImage shim;
        try
        {
            shim = ElfImage.Load(shipped);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return IntPtr.Zero;
        }
        string? host = HostLibstdcxx.Find();
        if (TorchShimPatch.Decide(shim, HostLibstdcxx.DefinedVersions(host)) != TorchShimDecision.Patch) return IntPtr.Zero;

        string cache = TorchShimPatch.CacheDirectory(TorchRuntime.TorchSharpVersion);
        IntPtr handle;
        try
        {
            string patched = TorchShimPatch.WriteCachedCopy(shim.Bytes, cache);
            foreach (string needed in shim.NeededLibraries)
            {
                // libtorch's own libraries sit beside the shim or in TorchSharp's other native folders;
                // system libraries (libstdc++, libc) are left to the loader.
                string? path = Find(directories, needed);
                if (path is not null) NativeLibrary.Load(path);
            }
            handle = NativeLibrary.Load(patched);
            PatchedShimPath = patched;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or DllNotFoundException or BadImageFormatException)
        {
            throw new DllNotFoundException(
                $"TorchSharp's {TorchShimPatch.ShimFileName} ({shipped}) needs {TorchShimPatch.Version}, which this host's libstdc++ " +
                $"({host ?? "not found"}) lacks, and PdeOps could not prepare and load the copy that works without it in {cache}: {e.Message} " +
                "Make that folder writable (or set XDG_CACHE_HOME to a writable folder), or install a libstdc++ from GCC 13 or later.", e);
        }
        return handle;
    }

    /// <summary>
    /// Folders that may hold TorchSharp's and libtorch's natives: the application's native search
    /// folders (from its deps.json), TorchSharp's folder and its runtimes/RID/native, and, when
    /// TorchSharp.dll is used from a NuGet package folder, the native folders of that package and
    /// of the libtorch packages beside it.
    /// </summary>
    static List<string> NativeDirectories()
    {
        var directories = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searched)
            directories.AddRange(searched.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        string rid = "linux-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string? torchSharp = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchSharp))
        {
            directories.Add(torchSharp);
            directories.Add(Path.Combine(torchSharp, "runtimes", rid, "native"));
            // <packages>/torchsharp/<version>/lib/<framework>/TorchSharp.dll
            var version = Directory.GetParent(torchSharp)?.Parent;
            var packages = version?.Parent?.Parent;
            if (version is not null && packages is not null && version.Parent!.Name.Equals("torchsharp", StringComparison.OrdinalIgnoreCase))
            {
                directories.Add(Path.Combine(version.FullName, "runtimes", rid, "native"));
                foreach (var libtorch in packages.EnumerateDirectories("libtorch-*" + rid + "*"))
                    foreach (var libtorchVersion in libtorch.EnumerateDirectories())
                        directories.Add(Path.Combine(libtorchVersion.FullName, "runtimes", rid, "native"));
            }
        }
        return directories;
    }

    static string? Find(IEnumerable<string> directories, string fileName) =>
        directories.Select(d => Path.Combine(d, fileName)).FirstOrDefault(File.Exists);
}
