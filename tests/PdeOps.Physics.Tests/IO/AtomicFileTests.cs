using System.Diagnostics;
using PdeOps.Physics.IO;

namespace PdeOps.Physics.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ARegularFileIsReplacedByRename()
    {
        string path = Path.Combine(_dir, "out.txt");
        File.WriteAllText(path, "old");
        Assert.Equal(path + ".partial", AtomicFile.PartialPath(path));
        AtomicFile.Write(path, partial => File.WriteAllText(partial, "new"));
        Assert.Equal("new", File.ReadAllText(path));
        Assert.False(File.Exists(path + ".partial"));
        Assert.False(SpecialFiles.IsDeviceOrPipe(path));
    }

    [Fact]
    public async Task APipeReceivesTheBytesAndStaysAPipe()
    {
        // A rename would put a regular file where the pipe was (as it would over /dev/null).
        string fifo = Path.Combine(_dir, "pipe");
        Run("mkfifo", fifo);
        Assert.True(SpecialFiles.IsDeviceOrPipe(fifo));
        string partial = AtomicFile.PartialPath(fifo);
        Assert.StartsWith(Path.GetTempPath(), partial, StringComparison.Ordinal);

        var reader = Task.Run(() => File.ReadAllText(fifo));
        AtomicFile.Write(fifo, p => File.WriteAllText(p, "through the pipe"));
        Assert.Equal("through the pipe", await reader.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("fifo", Run("stat", "-c", "%F", fifo).Trim());
        Assert.False(File.Exists(partial));
    }

    [Fact]
    public void LinksIntoProcAndDevicesAreSpecialAndMissingPathsAreNot()
    {
        // /dev/stdout links into /proc even when it ends at a regular file: a rename would replace the link.
        Assert.True(SpecialFiles.IsDeviceOrPipe("/dev/stdout"));
        Assert.True(SpecialFiles.IsDeviceOrPipe("/dev/null"));
        Assert.False(SpecialFiles.IsDeviceOrPipe(Path.Combine(_dir, "absent")));
        Assert.False(SpecialFiles.IsDeviceOrPipe(_dir));
    }

    [Fact]
    public void WhereAFileCanBeWrittenIsFoundWithoutLeavingAnything()
    {
        // Folders that do not exist yet are made by the write: the nearest existing one is probed.
        Assert.Null(AtomicFile.WhyNotWritable(Path.Combine(_dir, "out.h5")));
        Assert.Null(AtomicFile.WhyNotWritable(Path.Combine(_dir, "a", "b", "out.h5")));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
        Assert.Null(AtomicFile.WhyNotWritable("/dev/null"));

        string file = Path.Combine(_dir, "file.txt");
        File.WriteAllText(file, "x");
        Assert.Equal($"{file} is a file, not a folder", AtomicFile.WhyNotWritable(Path.Combine(file, "sub", "out.h5")));
        // /proc exists and takes no files, whoever runs the test (root included).
        if (OperatingSystem.IsLinux()) Assert.Equal("files cannot be created in /proc", AtomicFile.WhyNotWritable("/proc/pdeops-out.h5"));
        Assert.Equal([file], Directory.GetFileSystemEntries(_dir));
    }

    static string Run(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} failed: {process.StandardError.ReadToEnd()}");
        return output;
    }
}
