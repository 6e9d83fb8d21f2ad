using System.Globalization;
using System.Text.Json;
using PdeOps.Operators.Checkpoints;

namespace PdeOps.Cli.Tests.Distributed;

/// <summary>
/// Data-parallel training under mpirun: two ranks train what one process trains with the same
/// global batch and seed (sums of the same per-sample gradients in another order, so equal to float
/// rounding), a killed rank ends the job with one line and --resume continues, and ranks with other
/// settings are refused.
/// </summary>
[Collection("console")]
public sealed class MpiTrainingTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-mpi-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>21 training samples in batches of 5: the last batch has one sample, so one rank's share of it is empty.</summary>
    string[] Train(string run, int epochs, params string[] extra)
    {
        foreach (var (file, samples, seed) in new[] { ("train.h5", 21, 1), ("test.h5", 7, 2) })
            if (!File.Exists(PathOf(file)))
                Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", samples.ToString(CultureInfo.InvariantCulture), "--res", "17", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--out", PathOf(file), "--threads", "1").Exit);
        return ["train", "--model", "fno", "--data", PathOf("train.h5"), "--test", PathOf("test.h5"), "--epochs", epochs.ToString(CultureInfo.InvariantCulture),
            "--batch", "5", "--width", "8", "--modes", "4", "--layers", "2", "--seed", "3", "--threads", "1", "--out", PathOf(run), "--json", .. extra];
    }

    static double[][] Metrics(string run) => File.ReadAllLines(Path.Combine(run, "metrics.csv")).Skip(1)
        .Select(line => line.Split(',')[..5].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();

    static float[] FinalWeights(string run, int epoch)
    {
        var checkpoint = OperatorCheckpoint.Read(run);
        using var model = checkpoint.LoadModel(run);
        OperatorCheckpoint.LoadWeightsFile(model, Path.Combine(run, "last", $"weights-{epoch:D5}.bin"), checkpoint.ModelName);
        return model.parameters().SelectMany(p => p.detach().flatten().data<float>().ToArray()).ToArray();
    }

    [MpiFact]
    public void TwoRanksTrainLikeOneProcess()
    {
        var alone = MpiJob.RunAlone(Train("one", 3));
        Assert.True(alone.Exit == 0, alone.Err);
        var shared = MpiJob.Run(2, Train("two", 3, "--distributed"));
        Assert.True(shared.Exit == 0, shared.Err);
        using (var json = JsonDocument.Parse(shared.Text))
        {
            Assert.Equal(2, json.RootElement.GetProperty("ranks").GetInt32());
            Assert.Equal(15, json.RootElement.GetProperty("steps").GetInt64());
        }
        var (one, two) = (Metrics(PathOf("one")), Metrics(PathOf("two")));
        Assert.Equal(3, two.Length);
        for (int e = 0; e < 3; e++)
            for (int c = 1; c < 5; c++)
                Assert.True(Math.Abs(one[e][c] - two[e][c]) <= 1e-5 * Math.Abs(one[e][c]), $"epoch {e + 1}, column {c}: {one[e][c]:R} alone, {two[e][c]:R} on two ranks");
        var (w1, w2) = (FinalWeights(PathOf("one"), 3), FinalWeights(PathOf("two"), 3));
        Assert.Equal(w1.Length, w2.Length);
        double worst = w1.Zip(w2, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-5, $"parameters differ by up to {worst:E2}");
    }

    [MpiFact]
    public void KilledRankEndsTheJobWithOneLineAndResumeContinues()
    {
        string run = PathOf("killed");
        var args = Train("killed", 40, "--distributed");
        var job = MpiJob.Start(MpiJob.Mpirun!, ["-q", "--oversubscribe", "-np", "2", "dotnet", MpiJob.Pdeops, .. args]);
        string state = Path.Combine(run, "last", "state.json");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!(File.Exists(state) && File.ReadAllText(state).Contains("\"epoch\":2", StringComparison.Ordinal)) && DateTime.UtcNow < deadline && !job.Process.HasExited)
            Thread.Sleep(50);
        Assert.False(job.Process.HasExited, "the job ended before a rank could be killed");
        var ranks = MpiJob.RankProcesses(run);
        Assert.True(ranks.ContainsKey(1), "rank 1 not found");
        System.Diagnostics.Process.GetProcessById(ranks[1]).Kill();
        var ended = job.Finish(60);
        Assert.NotEqual(0, ended.Exit);
        var lines = ended.ErrorLines;
        Assert.True(lines.Length == 1, $"expected one line, got: {string.Join(" | ", lines)}");
        Assert.Contains("rank 0 of 2 was stopped by the launcher", lines[0]);
        Assert.Contains("--resume", lines[0]);

        var resumed = MpiJob.Run(2, [.. args, "--resume"]);
        Assert.True(resumed.Exit == 0, resumed.Err);
        using var json = JsonDocument.Parse(resumed.Text);
        Assert.True(json.RootElement.GetProperty("resumed").GetBoolean());
        Assert.Equal(40, json.RootElement.GetProperty("epochs").GetInt32());
        Assert.Equal(Enumerable.Range(1, 40), Metrics(run).Select(m => (int)m[0]));
    }

    [MpiFact]
    public void RanksWithOtherSettingsAreRefusedOnEveryRank()
    {
        var args = Train("mismatch", 1, "--distributed");
        var other = args.ToArray();
        other[Array.IndexOf(other, "--seed") + 1] = "4";
        var job = MpiJob.RunEach(args, other);
        Assert.NotEqual(0, job.Exit);
        var lines = job.ErrorLines;
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Equal("pdeops: error: rank 1 of 2 was started with other settings or data than rank 0 (training.seed: 3 on rank 0, 4 here); start every rank with the same command and inputs", l));
        Assert.False(Directory.Exists(PathOf("mismatch")));
    }

    [Fact]
    public void DistributedOutsideALauncherSaysHowToLaunch()
    {
        if (Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_RANK") is not null) return;   // the suite itself runs under mpirun
        var (exit, _, error) = CliRunner.Run(Train("alone", 1, "--distributed"));
        Assert.Equal(2, exit);
        Assert.Equal("pdeops: --distributed needs a parallel launch: mpirun -np P pdeops train ... --distributed (or srun -n P under Slurm); leave it out to run one process", error.Trim());
    }
}
