using System.Globalization;

namespace PdeOps.Distributed;

/// <summary>Which program started this process as one rank of a job.</summary>
public enum Launcher
{
    /// <summary>Not started by a parallel launcher: one process.</summary>
    None,
    /// <summary>Open MPI's <c>mpirun</c>/<c>mpiexec</c> (OMPI_COMM_WORLD_RANK and _SIZE).</summary>
    OpenMpi,
    /// <summary>A PMI launcher such as MPICH's or Intel MPI's Hydra <c>mpiexec</c> (PMI_RANK and PMI_SIZE).</summary>
    Pmi,
    /// <summary>Slurm's <c>srun</c> (SLURM_PROCID and SLURM_STEP_NUM_TASKS).</summary>
    Slurm,
}

/// <summary>
/// How this process was launched, read from the environment that launchers set, before and
/// without MPI: the launcher, this process's rank among <see cref="Size"/> and among the
/// <see cref="LocalSize"/> ranks on its node. Also the slot of a Slurm job array
/// (SLURM_ARRAY_TASK_ID, _MIN and _COUNT), which numbers independent jobs rather than ranks.
/// </summary>
public sealed record LaunchEnvironment
{
    /// <summary>The launcher; <see cref="Launcher.None"/> for a plain process.</summary>
    public Launcher Launcher { get; init; }
    /// <summary>Rank of this process, from 0.</summary>
    public int Rank { get; init; }
    /// <summary>Ranks in the job (1 for a plain process).</summary>
    public int Size { get; init; } = 1;
    /// <summary>Rank among the ranks on this node.</summary>
    public int LocalRank { get; init; }
    /// <summary>Ranks on this node.</summary>
    public int LocalSize { get; init; } = 1;
    /// <summary>Index of this task in a Slurm job array, counted from the array's first index; null outside one.</summary>
    public int? ArrayIndex { get; init; }
    /// <summary>Tasks in the Slurm job array; null outside one.</summary>
    public int? ArrayCount { get; init; }

    /// <summary>True when a parallel launcher started this process.</summary>
    public bool Launched => Launcher != Launcher.None;

    /// <summary>The launcher as a user would name it.</summary>
    public string LauncherName => Launcher switch
    {
        Launcher.OpenMpi => "mpirun (Open MPI)",
        Launcher.Pmi => "mpiexec (PMI)",
        Launcher.Slurm => "srun",
        _ => "none",
    };

    /// <summary>The environment of this process.</summary>
    public static LaunchEnvironment Current => FromVariables(Environment.GetEnvironmentVariable);

    /// <summary>Reads the launch from environment variables (<paramref name="variable"/> returns null for an unset one).</summary>
    /// <exception cref="FormatException">A launcher's variable holds something other than a rank it could have set.</exception>
    public static LaunchEnvironment FromVariables(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var launch = new LaunchEnvironment();
        if (variable("OMPI_COMM_WORLD_RANK") is { } ompiRank)
            launch = Ranks(Launcher.OpenMpi, ompiRank, variable("OMPI_COMM_WORLD_SIZE"), variable("OMPI_COMM_WORLD_LOCAL_RANK"), variable("OMPI_COMM_WORLD_LOCAL_SIZE"), "OMPI_COMM_WORLD");
        else if (variable("PMI_RANK") is { } pmiRank)
            launch = Ranks(Launcher.Pmi, pmiRank, variable("PMI_SIZE"), variable("MPI_LOCALRANKID"), variable("MPI_LOCALNRANKS"), "PMI");
        // A batch script sees SLURM_PROCID too; only a job step started by srun has SLURM_STEP_NUM_TASKS.
        else if (variable("SLURM_PROCID") is { } slurmRank && variable("SLURM_STEP_NUM_TASKS") is { } slurmSize)
            launch = Ranks(Launcher.Slurm, slurmRank, slurmSize, variable("SLURM_LOCALID"), FirstCount(variable("SLURM_STEP_TASKS_PER_NODE")), "SLURM");
        if (variable("SLURM_ARRAY_TASK_ID") is { } task && variable("SLURM_ARRAY_TASK_COUNT") is { } count)
        {
            int id = Number(task, "SLURM_ARRAY_TASK_ID", 0), n = Number(count, "SLURM_ARRAY_TASK_COUNT", 1);
            int min = variable("SLURM_ARRAY_TASK_MIN") is { } m ? Number(m, "SLURM_ARRAY_TASK_MIN", 0) : 0;
            launch = launch with { ArrayIndex = id - min, ArrayCount = n };
        }
        return launch;
    }

    /// <summary>
    /// Threads each rank should give libtorch or a solver by default: the cores this process is
    /// bound to when the launcher bound it, else the node's cores shared among its ranks.
    /// </summary>
    public int DefaultThreads()
    {
        int available = Environment.ProcessorCount;
        if (LocalSize <= 1) return available;
        int? bound = BoundCores();
        return bound is int cores ? Math.Max(1, Math.Min(cores, available)) : Math.Max(1, available / LocalSize);
    }

    /// <summary>Cores in this process's affinity mask when it is narrower than the node's online cores; null when unbound or unknown.</summary>
    static int? BoundCores()
    {
        try
        {
            if (!OperatingSystem.IsLinux()) return null;
            string online = File.ReadAllText("/sys/devices/system/cpu/online").Trim();
            int total = online.Split(',').Sum(range =>
            {
                var ends = range.Split('-');
                return ends.Length == 2 ? int.Parse(ends[1], CultureInfo.InvariantCulture) - int.Parse(ends[0], CultureInfo.InvariantCulture) + 1 : 1;
            });
            if (total > 64) return null; // the affinity mask below covers 64 cores
            ulong mask = (ulong)System.Diagnostics.Process.GetCurrentProcess().ProcessorAffinity;
            int count = System.Numerics.BitOperations.PopCount(mask);
            return count > 0 && count < total ? count : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or PlatformNotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    static LaunchEnvironment Ranks(Launcher launcher, string rank, string? size, string? localRank, string? localSize, string prefix)
    {
        int n = size is null ? throw new FormatException($"{prefix} rank is set but not the job size") : Number(size, $"{prefix} size", 1);
        int r = Number(rank, $"{prefix} rank", 0);
        if (r >= n) throw new FormatException($"{prefix} rank {r} is not below the job size {n}");
        int localN = localSize is null ? 1 : Number(localSize, $"{prefix} local size", 1);
        int localR = localRank is null ? 0 : Number(localRank, $"{prefix} local rank", 0);
        return new LaunchEnvironment { Launcher = launcher, Rank = r, Size = n, LocalRank = localR, LocalSize = Math.Max(localN, 1) };
    }

    /// <summary>The first count of Slurm's tasks-per-node list, e.g. 4 from "4(x2),3".</summary>
    static string? FirstCount(string? list)
    {
        if (list is null) return null;
        int end = 0;
        while (end < list.Length && char.IsAsciiDigit(list[end])) end++;
        return end > 0 ? list[..end] : null;
    }

    static int Number(string text, string name, int minimum) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= minimum
            ? value
            : throw new FormatException($"{name} is '{text}', not a whole number of at least {minimum}");
}
