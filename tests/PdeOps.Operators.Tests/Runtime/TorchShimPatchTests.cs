using System.Reflection;
using PdeOps.Operators.Runtime;

namespace PdeOps.Operators.Tests.Runtime;

/// <summary>
/// The ELF reader and the weak-need patch on a copy of TorchSharp's shim as shipped, and the
/// decision of when the patched copy is used.
/// </summary>
public class TorchShimPatchTests
{
    static byte[] ShippedShim()
    {
        string root = typeof(TorchShimPatchTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NuGetPackageRoot").Value!;
        string version = TorchRuntime.TorchSharpVersion;
        string path = Path.Combine(root, "torchsharp", version, "runtimes", "linux-x64", "native", TorchShimPatch.ShimFileName);
        Assert.True(File.Exists(path), $"TorchSharp's shim as shipped is expected at {path}");
        return File.ReadAllBytes(path);
    }

    static ElfVersionNeed Need(ElfImage image, string version) => image.VersionNeeds.Single(n => n.Version == version);

    [Fact]
    public void TheShippedShimAsksGlibcxx3432OfLibstdcxxStrongly()
    {
        var shim = ElfImage.Parse(ShippedShim());
        var need = Need(shim, TorchShimPatch.Version);
        Assert.Equal("libstdc++.so.6", need.Library);
        Assert.False(need.IsWeak);
        // The five Verneed entries of .gnu.version_r and their Vernaux counts, as readelf -V lists them.
        Assert.Equal(["ld-linux-x86-64.so.2", "libm.so.6", "libgcc_s.so.1", "libc.so.6", "libstdc++.so.6"], shim.VersionNeeds.Select(n => n.Library).Distinct());
        Assert.Equal(5, shim.VersionNeeds.Count(n => n.Library == "libc.so.6"));
        Assert.Equal(20, shim.VersionNeeds.Count(n => n.Library == "libstdc++.so.6"));
        Assert.All(shim.VersionNeeds, n => Assert.False(n.IsWeak));
        Assert.Equal(["libtorch.so", "libc10.so", "libtorch_cpu.so"], shim.NeededLibraries.Take(3));
    }

    [Fact]
    public void MarkWeakFlagsOnlyTheVernauxEntryOfThatVersion()
    {
        byte[] shipped = ShippedShim();
        var image = ElfImage.Parse((byte[])shipped.Clone());
        var before = image.VersionNeeds;

        Assert.Equal(1, ElfVersionNeed.MarkWeak(image, TorchShimPatch.Version));

        var after = ElfImage.Parse(image.Bytes).VersionNeeds;
        var need = Need(ElfImage.Parse(image.Bytes), TorchShimPatch.Version);
        Assert.True(need.IsWeak);
        Assert.Equal(ElfVersionNeed.WeakFlag, need.Flags & ElfVersionNeed.WeakFlag);
        Assert.Equal(before.Count, after.Count);
        for (int i = 0; i < before.Count; i++)
            if (before[i].Version != TorchShimPatch.Version) Assert.Equal(before[i], after[i]);
        // Exactly the flags of that one entry changed.
        int[] changed = Enumerable.Range(0, shipped.Length).Where(i => shipped[i] != image.Bytes[i]).ToArray();
        Assert.Single(changed);
        Assert.InRange(changed[0], need.FlagsOffset, need.FlagsOffset + 1);
        // A second pass finds nothing left to do.
        Assert.Equal(0, ElfVersionNeed.MarkWeak(image, TorchShimPatch.Version));
    }

    [Fact]
    public void TheCopyIsUsedOnlyWhereTheHostLacksTheVersion()
    {
        var shim = ElfImage.Parse(ShippedShim());
        HashSet<string> debian12 = ["GLIBCXX_3.4", "GLIBCXX_3.4.29", "GLIBCXX_3.4.30"];
        HashSet<string> gcc13 = [.. debian12, "GLIBCXX_3.4.31", "GLIBCXX_3.4.32"];

        Assert.Equal(TorchShimDecision.Patch, TorchShimPatch.Decide(shim, debian12));
        Assert.Equal(TorchShimDecision.HostHasVersion, TorchShimPatch.Decide(shim, gcc13));
        Assert.Equal(TorchShimDecision.Patch, TorchShimPatch.Decide(shim, null));

        var patched = ElfImage.Parse((byte[])shim.Bytes.Clone());
        ElfVersionNeed.MarkWeak(patched, TorchShimPatch.Version);
        Assert.Equal(TorchShimDecision.ShimAsShipped, TorchShimPatch.Decide(patched, debian12));
    }

    [Fact]
    public void TheCachedCopyIsWrittenOnceUnderItsFinalNameOnly()
    {
        string cache = Path.Combine(Path.GetTempPath(), "pdeops-shim-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            byte[] shipped = ShippedShim();
            string path = TorchShimPatch.WriteCachedCopy(shipped, cache);

            Assert.Equal(Path.Combine(cache, TorchShimPatch.ShimFileName), path);
            Assert.Equal([path], Directory.GetFiles(cache));
            Assert.True(Need(ElfImage.Load(path), TorchShimPatch.Version).IsWeak);
            Assert.False(Need(ElfImage.Parse(shipped), TorchShimPatch.Version).IsWeak); // the input is not modified

            var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            File.SetLastWriteTimeUtc(path, stamp);
            Assert.Equal(path, TorchShimPatch.WriteCachedCopy(shipped, cache));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(path)); // an identical copy is kept

            File.WriteAllBytes(path, [1, 2, 3]);
            TorchShimPatch.WriteCachedCopy(shipped, cache);
            Assert.True(Need(ElfImage.Load(path), TorchShimPatch.Version).IsWeak); // a damaged copy is replaced
            Assert.Equal([path], Directory.GetFiles(cache));
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public void TheCacheFollowsXdgCacheHome()
    {
        string? saved = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        try
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "/var/tmp/xdg");
            Assert.Equal("/var/tmp/xdg/pdeops/torchsharp/0.107.0", TorchShimPatch.CacheDirectory("0.107.0"));
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", null);
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            Assert.Equal(Path.Combine(home, ".cache", "pdeops", "torchsharp", "0.107.0"), TorchShimPatch.CacheDirectory("0.107.0"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", saved);
        }
    }

    [Fact]
    public void TheHostLibstdcxxDefinesTheBaseVersion()
    {
        if (!OperatingSystem.IsLinux()) return;
        string? path = HostLibstdcxx.Find();
        Assert.NotNull(path);
        var versions = HostLibstdcxx.DefinedVersions(path);
        Assert.NotNull(versions);
        Assert.Contains("GLIBCXX_3.4", versions);
        Assert.Contains("CXXABI_1.3", versions);
    }

    [Fact]
    public void ForeignOrTruncatedFilesAreRejected()
    {
        Assert.Throws<InvalidDataException>(() => ElfImage.Parse(new byte[100]));
        byte[] head = ShippedShim()[..4096];
        Assert.Throws<InvalidDataException>(() => ElfImage.Parse(head).VersionNeeds);
    }
}
