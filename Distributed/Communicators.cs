using PdeOps.Distributed.Mpi;

namespace PdeOps.Distributed;

/// <summary>Where a program gets its <see cref="ICommunicator"/>.</summary>
public static class Communicators
{
    /// <summary>
    /// The communicator of this process's launch: MPI's world (initialising MPI) when a launcher
    /// started it as one of several ranks, else <see cref="SingleProcessCommunicator"/>, which
    /// needs no MPI library. Dispose it at the end of the program (every rank), which finalises MPI.
    /// </summary>
    /// <exception cref="MpiException">Several ranks were launched but MPI cannot be used, or its world does not match the launch.</exception>
    public static ICommunicator ForLaunch(LaunchEnvironment? launch = null)
    {
        launch ??= LaunchEnvironment.Current;
        if (!launch.Launched || launch.Size == 1) return SingleProcessCommunicator.Instance;
        var world = MpiCommunicator.World();
        if (world.Size != launch.Size || world.Rank != launch.Rank)
        {
            int size = world.Size;
            world.Dispose();
            throw new MpiException($"{launch.LauncherName} started {launch.Size} ranks but MPI's world has {size}: the program was not started by the launcher of the MPI library it loaded ({OpenMpiLibrary.Describe()})");
        }
        return world;
    }

    /// <summary>The MPI library this process would use, as "VERSION (FILE)", or why none can be used. Does not initialise MPI.</summary>
    public static string DescribeMpi() => OpenMpiLibrary.Describe();
}
