using PdeOps.Distributed;

namespace PdeOps.Cli.Infrastructure;

/// <summary>
/// How a command joins the ranks that a launcher (mpirun, srun) started: reads the launch, refuses
/// the mismatches between the command line and the launch as usage errors, and hands out the
/// communicator (MPI's world, or one process).
/// </summary>
public static class DistributedLaunch
{
    /// <summary>The launch of this process; a launcher's variables that make no sense are a usage error.</summary>
    public static LaunchEnvironment Current()
    {
        try { return LaunchEnvironment.Current; }
        catch (FormatException e) { throw new UsageException($"the parallel launcher's environment is damaged: {e.Message}"); }
    }

    /// <summary>
    /// The communicator of a command run with <c>--distributed</c> (<paramref name="distributed"/>):
    /// MPI's world under a launcher; without one, a usage error saying how to launch. A command
    /// started as one of several ranks without the flag is refused too, since every rank would
    /// <paramref name="alone"/>.
    /// </summary>
    /// <exception cref="UsageException">The flag and the launch disagree.</exception>
    /// <exception cref="MpiException">MPI cannot be used.</exception>
    public static ICommunicator Join(bool distributed, string command, string alone)
    {
        var launch = Current();
        if (distributed && !launch.Launched)
            throw new UsageException($"--distributed needs a parallel launch: mpirun -np P pdeops {command} ... --distributed (or srun -n P under Slurm); leave it out to run one process");
        if (!distributed && launch.Size > 1)
            throw new UsageException($"started as rank {launch.Rank} of {launch.Size} by {launch.LauncherName} without --distributed: every rank would {alone}; add --distributed or start one process");
        return distributed ? Communicators.ForLaunch(launch) : SingleProcessCommunicator.Instance;
    }

    /// <summary>Threads per process by default: all cores for a plain process, this rank's cores under a launcher.</summary>
    public static int DefaultThreads()
    {
        try { return LaunchEnvironment.Current.DefaultThreads(); }
        catch (FormatException) { return Environment.ProcessorCount; }
    }
}
