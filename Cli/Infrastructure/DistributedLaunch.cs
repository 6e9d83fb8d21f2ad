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
        return distributed ? World(launch) : SingleProcessCommunicator.Instance;
    }

    static ICommunicator? _world;
    static System.Runtime.InteropServices.PosixSignalRegistration? _stop;

    /// <summary>
    /// The communicator of this process's launch (MPI's world for several ranks), kept until
    /// <see cref="Finish"/>: MPI is finalised only after the command's outcome is printed, so that
    /// every rank's line is out before the launcher tears the job down. A launcher ends the other
    /// ranks with SIGTERM when one rank dies or the job is cancelled: they say so in one line.
    /// </summary>
    public static ICommunicator World(LaunchEnvironment? launch = null)
    {
        if (_world is not null) return _world;
        var world = Communicators.ForLaunch(launch ?? Current());
        if (world.Size > 1)
            _stop = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, _ =>
                Console.Error.WriteLine($"pdeops: error: rank {world.Rank} of {world.Size} was stopped by the launcher (another rank ended or the job was cancelled); rerun the same command with --resume to continue from the last saved state"));
        return _world = world;
    }

    /// <summary>
    /// Ends this process's part in the job: from here a SIGTERM is silent, and MPI is finalised
    /// (with every other rank). After a failure every rank has printed its line; a short pause lets
    /// the launcher forward those lines before the first rank's exit makes it end the job.
    /// </summary>
    public static void Finish(bool failed = false)
    {
        if (failed && _world is { Size: > 1 })
        {
            Console.Error.Flush();
            Thread.Sleep(300);
        }
        _stop?.Dispose();
        _stop = null;
        _world?.Dispose();
        _world = null;
    }

    /// <summary>Threads per process by default: all cores for a plain process, this rank's cores under a launcher.</summary>
    public static int DefaultThreads()
    {
        try { return LaunchEnvironment.Current.DefaultThreads(); }
        catch (FormatException) { return Environment.ProcessorCount; }
    }
}
