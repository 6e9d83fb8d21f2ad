using System.Diagnostics;

namespace PdeOps.Cli.Tests;

/// <summary>
/// A real full disk for tests: a tmpfs of a few hundred kilobytes mounted on a temporary folder
/// (the test host runs as root, as CI does). Writes past its size fail with ENOSPC exactly as on
/// a full partition. Unmounted on dispose.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    /// <summary>The mount point; files written under it share <c>sizeBytes</c>.</summary>
    public string Folder { get; }

    public SmallDisk(long sizeBytes)
    {
        Folder = Directory.CreateTempSubdirectory("pdeops-small-disk-").FullName;
        var (exit, error) = Shell("mount", "-t", "tmpfs", "-o", $"size={sizeBytes}", "tmpfs", Folder);
        if (exit != 0)
        {
            Directory.Delete(Folder);
            throw new InvalidOperationException($"full-disk tests mount a small tmpfs and need root: mount failed ({error.Trim()})");
        }
    }

    /// <summary>Fills the disk so that at most <paramref name="leaveBytes"/> stay free.</summary>
    public void Fill(long leaveBytes)
    {
        var info = new DriveInfo(Folder);
        long fill = Math.Max(0, info.AvailableFreeSpace - leaveBytes);
        using var stream = new FileStream(Path.Combine(Folder, "ballast"), FileMode.Create);
        var block = new byte[4096];
        for (long written = 0; written + block.Length <= fill; written += block.Length) stream.Write(block);
    }

    /// <summary>Paths under the mount point, relative, excluding the ballast.</summary>
    public IReadOnlyList<string> Files() =>
        Directory.EnumerateFileSystemEntries(Folder, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Folder, p)).Where(p => p != "ballast").Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Unmounts the disk. Fails the test when this process still holds a file on it open: a
    /// command that failed on the full disk must close what it opened.
    /// </summary>
    public void Dispose()
    {
        var open = OpenFilesUnder(Folder);
        var (exit, error) = Shell("umount", Folder);
        if (exit == 0)
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        if (open.Count > 0) throw new InvalidOperationException($"files left open on the small disk: {string.Join(", ", open)}");
        if (exit != 0) throw new InvalidOperationException($"umount {Folder} failed: {error.Trim()}");
    }

    /// <summary>The targets of this process's file descriptors that lie under <paramref name="folder"/>.</summary>
    static List<string> OpenFilesUnder(string folder)
    {
        var result = new List<string>();
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try { if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith(folder, StringComparison.Ordinal)) result.Add(target); }
            catch (IOException) { }
        }
        return result;
    }

    static (int Exit, string Error) Shell(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}
