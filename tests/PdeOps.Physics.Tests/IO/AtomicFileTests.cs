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
    public void AnAtomicWriterInsideAWriteOfSeveralFilesWritesTheStagedFileInPlace()
    {
        // A figure and an HDF5 file written together: each writer is atomic on its own.
        string first = Path.Combine(_dir, "u.h5"), second = Path.Combine(_dir, "u.png");
        AtomicFile.WriteAll([first, second], partials =>
        {
            foreach (var partial in partials)
                AtomicFile.Write(partial, p =>
                {
                    Assert.Equal(partial, p);
                    File.WriteAllText(p, Path.GetFileName(partial));
                });
            Assert.Empty(Directory.GetFiles(_dir, "*.partial.partial"));
        });
        Assert.Equal("u.h5.partial", File.ReadAllText(first));
        Assert.Equal("u.png.partial", File.ReadAllText(second));

        // A failure inside names the staged file once and leaves nothing behind; outside, writes stage again.
        var failure = Assert.Throws<IOException>(() => AtomicFile.WriteAll([first, second], partials =>
            AtomicFile.Write(partials[1], p => throw new IOException($"cannot write {p}"))));
        Assert.Equal($"cannot write {second}.partial", failure.Message);
        Assert.Equal(["u.h5", "u.png"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
        AtomicFile.Write(first, p =>
        {
            Assert.Equal(first + ".partial", p);
            File.WriteAllText(p, "again");
        });
        Assert.Equal("again", File.ReadAllText(first));
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
