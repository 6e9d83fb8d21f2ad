namespace PdeOps.Cli.Tests.Distributed;

/// <summary>Generation launched by mpirun: --shard auto takes k/n from the ranks and --merge joins the shards into what one process writes.</summary>
[Collection("console")]
public sealed class MpiGenerationTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-mpi-gen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    [MpiFact]
    public void ShardAutoUnderTwoRanksEqualsOneRun()
    {
        string[] common = ["generate", "darcy", "--samples", "7", "--res", "17", "--seed", "5", "--threads", "1"];
        var job = MpiJob.Run(2, [.. common, "--out", PathOf("merged.h5"), "--shard", "auto", "--merge"]);
        Assert.True(job.Exit == 0, job.Err);
        Assert.Contains("merged 2 shards", job.Out);
        Assert.Equal(0, CliRunner.Run([.. common, "--out", PathOf("one.h5")]).Exit);
        foreach (var array in new[] { "coefficient", "solution", "x", "y" })
            Assert.Equal(GenerateCommandTests.Raw(PathOf("one.h5"), array), GenerateCommandTests.Raw(PathOf("merged.h5"), array));
        Assert.Equal(["merged.h5", "one.h5"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void ShardAutoOutsideALauncherIsAUsageError()
    {
        if ((Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_RANK") ?? Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID")) is not null) return;
        var (exit, _, error) = CliRunner.Run("generate", "darcy", "--samples", "2", "--res", "9", "--out", PathOf("d.h5"), "--shard", "auto");
        Assert.Equal(2, exit);
        Assert.Contains("--shard auto takes k/n from mpirun, srun or a Slurm job array", error);
        (exit, _, error) = CliRunner.Run("generate", "darcy", "--samples", "2", "--res", "9", "--out", PathOf("d.h5"), "--merge");
        Assert.Equal(2, exit);
        Assert.Contains("--merge goes with --shard auto", error);
    }
}

/// <summary>The MPI binding itself: every collective PdeOps uses, on three ranks.</summary>
public sealed class MpiBindingTests
{
    [MpiFact]
    public void EveryRankSeesTheCollectivesAgree()
    {
        var job = MpiJob.Run(3, "info", "--mpi-check");
        Assert.True(job.Exit == 0, job.Err + job.Out);
        var lines = job.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order().ToList();
        Assert.Equal(3, lines.Count);
        for (int rank = 0; rank < 3; rank++)
            Assert.Matches($@"^rank {rank} of 3 \(mpirun \(Open MPI\), Open MPI v[0-9.]+, 3 ranks\): allreduce \(float, double\), broadcast and barrier agree$", lines[rank]);
    }
}
