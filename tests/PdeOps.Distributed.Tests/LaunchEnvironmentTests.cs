namespace PdeOps.Distributed.Tests;

public class LaunchEnvironmentTests
{
    static LaunchEnvironment From(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return LaunchEnvironment.FromVariables(name => map.GetValueOrDefault(name));
    }

    [Fact]
    public void PlainProcessIsOneRank()
    {
        var launch = From();
        Assert.False(launch.Launched);
        Assert.Equal((0, 1), (launch.Rank, launch.Size));
        Assert.Null(launch.ArrayIndex);
        Assert.Equal(Environment.ProcessorCount, launch.DefaultThreads());
    }

    [Fact]
    public void OpenMpiRanksAreRead()
    {
        var launch = From(("OMPI_COMM_WORLD_RANK", "3"), ("OMPI_COMM_WORLD_SIZE", "8"), ("OMPI_COMM_WORLD_LOCAL_RANK", "1"), ("OMPI_COMM_WORLD_LOCAL_SIZE", "2"));
        Assert.Equal(Launcher.OpenMpi, launch.Launcher);
        Assert.Equal((3, 8, 1, 2), (launch.Rank, launch.Size, launch.LocalRank, launch.LocalSize));
    }

    [Fact]
    public void PmiAndSrunRanksAreRead()
    {
        var pmi = From(("PMI_RANK", "1"), ("PMI_SIZE", "4"), ("MPI_LOCALNRANKS", "4"));
        Assert.Equal((Launcher.Pmi, 1, 4, 4), (pmi.Launcher, pmi.Rank, pmi.Size, pmi.LocalSize));
        var srun = From(("SLURM_PROCID", "5"), ("SLURM_STEP_NUM_TASKS", "16"), ("SLURM_LOCALID", "1"), ("SLURM_STEP_TASKS_PER_NODE", "4(x4)"));
        Assert.Equal((Launcher.Slurm, 5, 16, 1, 4), (srun.Launcher, srun.Rank, srun.Size, srun.LocalRank, srun.LocalSize));
    }

    [Fact]
    public void BatchScriptWithoutSrunIsNotALaunch()
    {
        // sbatch sets SLURM_PROCID and SLURM_NTASKS in the batch script itself, which is one process.
        Assert.False(From(("SLURM_PROCID", "0"), ("SLURM_NTASKS", "4")).Launched);
    }

    [Fact]
    public void JobArraySlotCountsFromTheFirstIndex()
    {
        var launch = From(("SLURM_ARRAY_TASK_ID", "7"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "16"));
        Assert.False(launch.Launched);
        Assert.Equal((6, 16), (launch.ArrayIndex, launch.ArrayCount));
    }

    [Theory]
    [InlineData("4", "4")]
    [InlineData("-1", "4")]
    [InlineData("x", "4")]
    [InlineData("0", "0")]
    public void DamagedRanksAreRefused(string rank, string size)
    {
        var e = Assert.Throws<FormatException>(() => From(("OMPI_COMM_WORLD_RANK", rank), ("OMPI_COMM_WORLD_SIZE", size)));
        Assert.Contains("OMPI_COMM_WORLD", e.Message);
    }

    [Fact]
    public void OneRankLaunchNeedsNoMpi()
    {
        using var communicator = Communicators.ForLaunch(From(("OMPI_COMM_WORLD_RANK", "0"), ("OMPI_COMM_WORLD_SIZE", "1")));
        Assert.Same(SingleProcessCommunicator.Instance, communicator);
    }
}
