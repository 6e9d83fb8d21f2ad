using System.Diagnostics;

namespace PdeOps.Cli.Tests.Distributed;

/// <summary>A test that needs Open MPI's mpirun; skipped with the reason when it is not on PATH.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (MpiJob.Mpirun is null) Skip = "mpirun not found on PATH: install Open MPI (Debian: openmpi-bin libopenmpi-dev) to run the MPI tests";
    }
}

/// <summary>Runs the built pdeops (Cli/bin/CONFIG/net10.0/pdeops.dll) under mpirun, or alone, as a separate process.</summary>
public static class MpiJob
{
    /// <summary>mpirun on PATH, or null.</summary>
    public static string? Mpirun { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, "mpirun")).FirstOrDefault(File.Exists);

    /// <summary>The pdeops assembly of the configuration the tests were built in.</summary>
    public static string Pdeops
    {
        get
        {
            var build = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var root = build;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "PdeOps.sln"))) root = root.Parent;
            return Path.Combine(root!.FullName, "Cli", "bin", build.Parent!.Name, build.Name, "pdeops.dll");
        }
    }

    /// <summary>pdeops with <paramref name="args"/> on <paramref name="ranks"/> ranks (mpirun -q --oversubscribe).</summary>
    public static Result Run(int ranks, params string[] args) =>
        Start(Mpirun!, ["-q", "--oversubscribe", "-np", ranks.ToString(), "dotnet", Pdeops, .. args]).Finish();

    /// <summary>Ranks running different command lines (MPMD): one rank per argument list.</summary>
    public static Result RunEach(params string[][] perRank) =>
        Start(Mpirun!, ["-q", "--oversubscribe", .. perRank.SelectMany((args, i) => (i > 0 ? new[] { ":" } : []).Concat(["-np", "1", "dotnet", Pdeops, .. args]))]).Finish();

    /// <summary>pdeops with <paramref name="args"/> as one plain process.</summary>
    public static Result RunAlone(params string[] args) => Start("dotnet", [Pdeops, .. args]).Finish();

    /// <summary>Starts <paramref name="program"/>; Open MPI is allowed to run as root, as CI does.</summary>
    public static Running Start(string program, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        return new Running(process, output, error);
    }

    /// <summary>A finished job; mpirun runs ranks on a pseudo-terminal, whose set-up sequences are removed from the output.</summary>
    public sealed record Result(int Exit, string Out, string Err)
    {
        /// <summary>Standard output without terminal control sequences.</summary>
        public string Text => Plain(Out);

        /// <summary>The lines of standard error, without blank ones and terminal control sequences.</summary>
        // Open MPI's shared-memory transport in a surviving rank reports a peer that died
        // mid-message in its own "[host:pid] ..." line ("Read -1, expected N, errno = 3"); the
        // contract is about pdeops' lines, so those are left out.
        public string[] ErrorLines => Plain(Err).Split('\n').Select(l => l.Trim())
            .Where(l => l.Length > 0 && !System.Text.RegularExpressions.Regex.IsMatch(l, @"^\[[^\]\s]+:\d+\] ")).ToArray();

        static string Plain(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\x1b\[[0-9;?]*[a-zA-Z]|\x1b[=>]", "");
    }

    public sealed record Running(Process Process, Task<string> Output, Task<string> Error)
    {
        /// <summary>Waits for the end (at most two minutes, then kills the whole tree and fails).</summary>
        public Result Finish(int seconds = 120)
        {
            if (!Process.WaitForExit(TimeSpan.FromSeconds(seconds)))
            {
                Process.Kill(entireProcessTree: true);
                Assert.Fail($"the job did not end within {seconds} s: {Output.Result}{Error.Result}");
            }
            Process.WaitForExit();
            return new Result(Process.ExitCode, Output.Result, Error.Result);
        }
    }

    /// <summary>The process ids of the ranks whose command line mentions <paramref name="marker"/>, by rank (Open MPI's OMPI_COMM_WORLD_RANK).</summary>
    public static Dictionary<int, int> RankProcesses(string marker)
    {
        var found = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                if (!File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker, StringComparison.Ordinal)) continue;
                var rank = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').FirstOrDefault(v => v.StartsWith("OMPI_COMM_WORLD_RANK=", StringComparison.Ordinal));
                if (rank is not null) found[int.Parse(rank["OMPI_COMM_WORLD_RANK=".Length..])] = pid;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }
}
