using System.Security.Cryptography;

namespace PdeOps.Cli.Tests;

/// <summary>
/// train, eval and predict under hostile inputs: each case asserts the exit code, the one line on
/// stderr and the files left behind.
/// </summary>
[Collection("console")]
public sealed class TrainReliabilityTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-train-rel-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    static readonly string[] Small = ["--batch", "10", "--width", "8", "--modes", "4", "--layers", "2", "--threads", "1"];

    string Generate(string name, int samples, int seed, int res = 17)
    {
        string file = PathOf(name);
        if (!File.Exists(file))
            Ok("generate", "darcy", "--samples", samples.ToString(), "--res", res.ToString(), "--fine-res", res == 17 ? "33" : res.ToString(), "--seed", seed.ToString(), "--out", file);
        return file;
    }

    static string Ok(params string[] args)
    {
        var (exit, output, error) = CliRunner.Run(args);
        Assert.True(exit == 0, $"pdeops {string.Join(' ', args)}: {error}");
        return output;
    }

    /// <summary>Runs a command that must fail with <paramref name="exit"/> and one line on stderr; returns the line.</summary>
    static string Fails(int exit, params string[] args)
    {
        var (code, _, error) = CliRunner.Run(args);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("warning:", StringComparison.Ordinal)).ToList();
        Assert.True(code == exit, $"pdeops {string.Join(' ', args)} exited {code}, expected {exit}: {error}");
        Assert.True(lines.Count == 1 && lines[0].StartsWith("pdeops: ", StringComparison.Ordinal), $"expected one line on stderr, got: {error}");
        return lines[0];
    }

    static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    static Dictionary<string, string> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), Hash);

    /// <summary>A small FNO training command line; options in <paramref name="extra"/> replace the defaults.</summary>
    static string[] Train(string data, string test, string run, int epochs, params string[] extra)
    {
        var defaults = new List<string>();
        for (int i = 0; i < Small.Length; i += 2)
            if (!extra.Contains(Small[i])) defaults.AddRange([Small[i], Small[i + 1]]);
        return ["train", "--model", "fno", "--data", data, "--test", test, "--out", run, "--epochs", epochs.ToString(), .. defaults, .. extra];
    }

    [Fact]
    public void ResumeWithOtherDataIsRefusedAndTheRunIsUntouched()
    {
        string train = Generate("train.h5", 20, 1), other = Generate("other.h5", 20, 5), test = Generate("test.h5", 8, 2);
        string run = PathOf("run");
        Ok(Train(train, test, run, 2));
        var before = Snapshot(run);
        Assert.Contains("resume needs the run's train data", Fails(1, Train(other, test, run, 2, "--resume")));
        Assert.Contains("resume needs the run's test data", Fails(1, Train(train, other, run, 2, "--resume")));
        Assert.Contains("train data", Fails(1, Train(train, test, run, 2, "--resume", "--train-samples", "10")));
        Assert.Equal(before, Snapshot(run));
        // The run's own data, even from a copy elsewhere, resume it (here: nothing left to do).
        File.Copy(train, PathOf("copy.h5"));
        Ok(Train(PathOf("copy.h5"), test, run, 2, "--resume"));
    }

    [Fact]
    public void ADivergingRunStopsWithOneLineAndLeavesNoHalfRun()
    {
        string train = Generate("train.h5", 20, 1), test = Generate("test.h5", 8, 2);
        string run = PathOf("diverged");
        string line = Fails(1, Train(train, test, run, 2, "--lr", "1e5"));
        Assert.Matches("training diverged: .* at epoch 1 step [0-9]+ .*retry with a lower --lr", line);
        Assert.False(Directory.Exists(run));
        // Mid-run divergence (the last good state kept, resumed with a lower rate) is tested on the trainer.
    }

    [Fact]
    public void AStartThatFailsLeavesNothingThatBlocksARetry()
    {
        string train = Generate("train.h5", 20, 1), test = Generate("test.h5", 8, 2);
        // A test file whose arrays are not the training file's: a runtime failure after reading.
        string heat = PathOf("heat.h5");
        Ok("generate", "heat", "--samples", "4", "--res", "17", "--seed", "1", "--out", heat);
        string run = PathOf("run");
        Fails(1, Train(train, heat, run, 1));
        Assert.False(Directory.Exists(run));
        Ok(Train(train, test, run, 1));
    }

    [Theory]
    [InlineData("--width", "0", "--width")]
    [InlineData("--padding", "-1", "--padding")]
    [InlineData("--train-samples", "0", "--train-samples")]
    [InlineData("--modes", "1000", "--modes")]
    [InlineData("--width", "2000000", "memory")]
    [InlineData("--projection-width", "0", "--projection-width")]
    [InlineData("--projection-width", "2000000000", "--projection-width 2000000000")]
    [InlineData("--weight-decay", "nan", "--weight-decay")]
    [InlineData("--weight-decay", "1e300", "--weight-decay 1e300 is beyond single precision")] // failed with libtorch's float overflow
    [InlineData("--lr", "1e300", "--lr 1e300 is beyond single precision")]
    public void BadTrainingValuesAreUsageErrorsBeforeAnyWork(string option, string value, string named)
    {
        string train = Generate("train.h5", 20, 1), test = Generate("test.h5", 8, 2);
        string run = PathOf("bad");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Contains(named, Fails(2, Train(train, test, run, 1, option, value)));
        Assert.True(watch.Elapsed.TotalSeconds < 20, $"took {watch.Elapsed.TotalSeconds:F0} s");
        Assert.False(Directory.Exists(run));
    }

    [Theory]
    [InlineData("{\"widht\": 16}", "unknown key 'widht'")]
    [InlineData("{\"loss\": \"h2\"}", "key 'loss'")]
    [InlineData("{\"optimizer\": \"sgd\"}", "key 'optimizer'")]
    [InlineData("{\"epochs\": \"ten\"}", "key 'epochs'")]
    [InlineData("{\"width\": 0}", "key 'width'")]
    [InlineData("{\"pre_smoothing\": {\"a\": 1}}", "key 'pre_smoothing'")]
    [InlineData("[1, 2]", "not a JSON object")]
    public void ConfigFilesAreAsStrictAsTheCommandLine(string json, string named)
    {
        string train = Generate("train.h5", 20, 1), test = Generate("test.h5", 8, 2);
        string config = PathOf("config.json");
        File.WriteAllText(config, json);
        string line = Fails(2, Train(train, test, PathOf("cfg"), 1, "--config", config));
        Assert.Contains(named, line);
        Assert.Contains(config, line);
        Assert.False(Directory.Exists(PathOf("cfg")));
    }

    [Fact]
    public void ConfigValuesReachTheRunAndTheCommandLineWins()
    {
        string train = Generate("train.h5", 20, 1), test = Generate("test.h5", 8, 2);
        string config = PathOf("config.json");
        File.WriteAllText(config, "{\"weight_decay\": 0, \"optimizer\": \"adamw\", \"loss\": \"h1\", \"epochs\": 5}");
        string run = PathOf("cfg");
        Ok(Train(train, test, run, 1, "--config", config));
        string spec = File.ReadAllText(Path.Combine(run, "run.json"));
        Assert.Contains("\"adamw\"", spec);
        Assert.Contains("\"h1\"", spec);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length);   // --epochs 1 wins over 5
    }

    [Fact]
    public void InitialWeightsThatDoNotFitFailWithOneLineAndLeaveNoRun()
    {
        string train = Generate("train.h5", 20, 1), test = Generate("test.h5", 8, 2);
        string first = PathOf("first");
        Ok(Train(train, test, first, 1, "--padding", "2"));
        string missing = PathOf("nowhere");
        Assert.Contains(missing, Fails(1, Train(train, test, PathOf("a"), 1, "--init-from", missing)));
        Assert.Contains("architecture differs", Fails(1, Train(train, test, PathOf("b"), 1, "--padding", "2", "--width", "6", "--init-from", first)));
        foreach (var refused in new[] { "a", "b" })
            Assert.False(File.Exists(Path.Combine(PathOf(refused), "model.json")), refused);
        // Another padding is not another architecture: fine-tuning on a finer grid keeps its physical length.
        Ok(Train(train, test, PathOf("c"), 1, "--padding", "4", "--init-from", first));
        Assert.Contains("initial_weights", File.ReadAllText(Path.Combine(PathOf("c"), "run.json")));
    }

    [Fact]
    public void CorruptedCheckpointsAndZeroSamplesFailWithTheirCause()
    {
        string train = Generate("train.h5", 20, 1), test = Generate("test.h5", 8, 2);
        string run = PathOf("run");
        Ok(Train(train, test, run, 1));
        Assert.Contains("--samples", Fails(2, "eval", "--model", run, "--data", test, "--samples", "0"));
        Assert.Contains("--samples", Fails(2, "predict", "--model", run, "--input", test, "--out", PathOf("p.h5"), "--samples", "0"));
        string weights = Path.Combine(run, "weights.bin");
        var bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 0x08;
        File.WriteAllBytes(weights, bytes);
        Assert.Contains("checksum", Fails(1, "eval", "--model", run, "--data", test));
        Assert.Contains("checksum", Fails(1, "predict", "--model", run, "--input", test, "--out", PathOf("p.h5")));
        Assert.False(File.Exists(PathOf("p.h5")));
    }

    [Fact]
    public void EvalAndPredictWarnAlikeOnAnotherGrid()
    {
        string train = Generate("train.h5", 20, 1), test = Generate("test.h5", 8, 2), fine = Generate("fine.h5", 4, 3, res: 33);
        string run = PathOf("run");
        var (exit, _, error) = CliRunner.Run(Train(train, fine, run, 1));
        Assert.True(exit == 0, error);
        Assert.Contains("warning: fine.h5 is on a 33x33 grid and the model is trained on 17x17", error);
        foreach (var args in new[] { new[] { "eval", "--model", run, "--data", fine }, ["predict", "--model", run, "--input", fine, "--out", PathOf("p.h5")] })
        {
            (exit, _, error) = CliRunner.Run(args);
            Assert.True(exit == 0, error);
            Assert.Contains("warning: fine.h5 is on a 33x33 grid and the model is trained on 17x17", error);
        }
        (_, _, error) = CliRunner.Run("eval", "--model", run, "--data", test);
        Assert.DoesNotContain("warning", error);
    }

    [Fact]
    public void AFullDiskStopsTrainingWithOneLineAndTheRunResumes()
    {
        string train = Generate("train.h5", 20, 1), test = Generate("test.h5", 8, 2);
        // The size of one epoch's files, from a run on a normal disk.
        string probe = PathOf("probe");
        Ok(Train(train, test, probe, 1));
        long weights = new FileInfo(Path.Combine(probe, "weights.bin")).Length;
        long optimizer = new FileInfo(Directory.GetFiles(Path.Combine(probe, "last"), "optimizer-*.bin").Single()).Length;
        using var disk = new SmallDisk(4L << 20);
        // Room for the first epoch (best checkpoint, last state, metrics), not for the second's new state beside it.
        disk.Fill(leaveBytes: 2 * weights + optimizer + 40_000);
        string run = Path.Combine(disk.Folder, "run");
        string line = Fails(1, Train(train, test, run, 3));
        Assert.StartsWith("pdeops: error: no space left on device writing ", line);
        Assert.Contains(run, line);
        Assert.DoesNotContain(disk.Files(), f => f.EndsWith(".partial", StringComparison.Ordinal) || f.EndsWith(".tmp", StringComparison.Ordinal));
        File.Delete(Path.Combine(disk.Folder, "ballast"));
        Ok(Train(train, test, run, 3, "--resume"));
        Assert.Equal(4, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length);
    }
}
