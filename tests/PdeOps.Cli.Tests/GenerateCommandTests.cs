using System.Diagnostics;
using System.Text.Json;
using PdeOps.Datasets.Storage;

namespace PdeOps.Cli.Tests;

[Collection("console")]
public sealed class GenerateCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-gen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>The bytes of array <paramref name="name"/> of a dataset file.</summary>
    internal static byte[] Raw(string path, string name)
    {
        using var reader = new FieldFileReader(path);
        var values = reader.ReadSamples(name, 0, (int)reader.Dimensions(name)[0]);
        var bytes = new byte[Buffer.ByteLength(values)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    [Fact]
    public void GenerateWritesTheFileAndReportsJson()
    {
        var (exit, output, error) = CliRunner.Run("generate", "darcy", "--samples", "4", "--res", "9", "--fine-res", "17", "--out", PathOf("d.h5"), "--json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(4, json.RootElement.GetProperty("samples").GetInt64());
        using var reader = new FieldFileReader(PathOf("d.h5"));
        Assert.Equal(new ulong[] { 4, 9, 9 }, reader.Dimensions("coefficient"));
    }

    [Theory]
    [InlineData("--shard", "3/2")]
    [InlineData("--param", "alpha")]
    public void BadOptionsPrintOneLineAndExitTwo(string option, string value)
    {
        var (exit, _, error) = CliRunner.Run("generate", "darcy", "--samples", "4", "--res", "9", "--out", PathOf("e.h5"), option, value);
        Assert.Equal(2, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(PathOf("e.h5")));
    }

    [Fact]
    public void ImpossibleSubsamplingAndUnknownParametersAreUsageErrors()
    {
        var (exit, _, error) = CliRunner.Run("generate", "darcy", "--samples", "2", "--res", "10", "--fine-res", "17", "--out", PathOf("f.h5"));
        Assert.Equal(2, exit);
        Assert.Contains("cannot be subsampled", error);
        (exit, _, error) = CliRunner.Run("generate", "darcy", "--samples", "2", "--res", "9", "--param", "gamma=1", "--out", PathOf("f.h5"));
        Assert.Equal(2, exit);
        Assert.Contains("no parameter 'gamma'", error);
        Assert.False(File.Exists(PathOf("f.h5")) || Directory.Exists(PathOf("f.h5") + ".partial"));
    }

    [Fact]
    public void KilledRunResumesToTheSameBytes()
    {
        string[] args = ["generate", "darcy", "--samples", "150", "--res", "33", "--fine-res", "129", "--seed", "3", "--threads", "2"];
        string killed = PathOf("killed.h5"), whole = PathOf("whole.h5");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pdeops.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.ArgumentList.Add("--out");
        start.ArgumentList.Add(killed);
        using (var process = Process.Start(start)!)
        {
            var log = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var watch = Stopwatch.StartNew();
            while (!Directory.Exists(killed + ".partial") || Directory.GetFiles(killed + ".partial", "chunk-*.bin").Length == 0)
            {
                Assert.False(process.HasExited, $"the run ended before it could be killed ({start.FileName} {string.Join(" ", start.ArgumentList)}, exit {(process.HasExited ? process.ExitCode : 0)}): {log} {string.Join(",", Directory.Exists(killed + ".partial") ? Directory.GetFiles(killed + ".partial") : [])}");
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), "no chunk was written within two minutes");
                Thread.Sleep(10);
            }
            process.Kill(entireProcessTree: true); // SIGKILL: no chance to clean up
            process.WaitForExit();
        }
        Assert.False(File.Exists(killed), "a killed run left a file under the final name");

        var (exit, _, error) = CliRunner.Run([.. args, "--out", killed, "--resume", "--json"]);
        Assert.True(exit == 0, error);
        (exit, _, error) = CliRunner.Run([.. args, "--out", whole]);
        Assert.True(exit == 0, error);
        Assert.Equal(Raw(whole, "coefficient"), Raw(killed, "coefficient"));
        Assert.Equal(Raw(whole, "solution"), Raw(killed, "solution"));
        Assert.False(Directory.Exists(killed + ".partial"));
    }

    [Fact]
    public void ShardsMergeThroughTheCommandLine()
    {
        string[] args = ["generate", "darcy", "--samples", "7", "--res", "9", "--fine-res", "17"];
        for (int k = 0; k < 2; k++)
            Assert.Equal(0, CliRunner.Run([.. args, "--shard", $"{k}/2", "--out", PathOf($"s{k}.h5")]).Exit);
        Assert.Equal(0, CliRunner.Run([.. args, "--out", PathOf("one.h5")]).Exit);
        var (exit, _, error) = CliRunner.Run("datasets", "merge", PathOf("s1.h5"), PathOf("s0.h5"), "--out", PathOf("merged.h5"));
        Assert.True(exit == 0, error);
        Assert.Equal(Raw(PathOf("one.h5"), "solution"), Raw(PathOf("merged.h5"), "solution"));
        (exit, _, error) = CliRunner.Run("datasets", "merge", PathOf("s1.h5"), "--out", PathOf("bad.h5"));
        Assert.Equal(1, exit);
        Assert.Contains("missing shard(s) 0/2", error);
    }
}
