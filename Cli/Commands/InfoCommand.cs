using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Distributed;
using PdeOps.Operators.Runtime;
using PdeOps.Solvers.Gpu;

namespace PdeOps.Cli.Commands;

/// <summary><c>pdeops info</c>: versions, threads and accelerators.</summary>
public static class InfoCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var mpiCheck = new Option<bool>("--mpi-check") { Description = "Under mpirun or srun: every rank joins MPI and runs each collective PdeOps uses once (allreduce of floats and doubles, broadcast, barrier), then reports" };
        var command = new Command("info", "Print the PdeOps, .NET, libtorch and ILGPU versions, threads, accelerators and the MPI library") { json, mpiCheck };
        command.SetAction(parse =>
        {
            if (parse.GetValue(mpiCheck)) return MpiCheck(parse.GetValue(json));
            var report = Collect();
            if (parse.GetValue(json)) Console.WriteLine(report.ToJsonString(CommonOptions.JsonStyle));
            else Print(report);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Gathers the report as a JSON object.</summary>
    public static JsonObject Collect()
    {
        var launch = DistributedLaunch.Current();
        var accelerators = new JsonArray();
        using (var context = IlgpuDevices.CreateContext())
        {
            foreach (var (type, name) in IlgpuDevices.Describe(context))
                accelerators.Add(new JsonObject { ["type"] = type, ["name"] = name });
        }
        return new JsonObject
        {
            ["pdeops"] = Versions.PdeOps,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["os"] = RuntimeInformation.OSDescription,
            ["architecture"] = RuntimeInformation.ProcessArchitecture.ToString(),
            ["libtorch"] = TorchRuntime.LibTorchVersion,
            ["torchsharp"] = TorchRuntime.TorchSharpVersion,
            ["ilgpu"] = Versions.Ilgpu,
            ["cores"] = Environment.ProcessorCount,
            ["dotnet_threads"] = Environment.ProcessorCount,
            ["torch_threads"] = TorchRuntime.Threads,
            ["onednn"] = TorchRuntime.OneDnnEnabled,
            ["native_heap_keeps_large_blocks"] = NativeHeap.KeepLargeBlocks(),
            ["openmp_spin_bounded"] = OpenMpSpin.Bound(),
            ["accelerators"] = accelerators,
            ["mpi"] = new JsonObject
            {
                ["library"] = Communicators.DescribeMpi(),
                ["launcher"] = launch.LauncherName,
                ["rank"] = launch.Rank,
                ["ranks"] = launch.Size,
            },
        };
    }

    /// <summary>Runs each collective once on every rank of the launch and checks the results every rank must see.</summary>
    static int MpiCheck(bool asJson)
    {
        var launch = DistributedLaunch.Current();
        var world = DistributedLaunch.World(launch);
        int n = world.Size, rank = world.Rank;
        float[] sum = [rank + 1, 0.5f];
        world.Allreduce(sum, ReduceOperation.Sum);
        double[] max = [rank, -rank], min = [rank];
        world.Allreduce(max, ReduceOperation.Max);
        world.Allreduce(min, ReduceOperation.Min);
        string text = world.BroadcastText($"from rank {n - 1}", root: n - 1);
        world.Barrier();
        var failed = new List<string>();
        if (sum[0] != n * (n + 1) / 2f || sum[1] != 0.5f * n) failed.Add($"allreduce of floats gave {sum[0]}, {sum[1]}");
        if (max[0] != n - 1 || max[1] != 0 || min[0] != 0) failed.Add($"allreduce of doubles gave {max[0]}, {max[1]}, {min[0]}");
        if (text != $"from rank {n - 1}") failed.Add($"broadcast gave '{text}'");
        string outcome = failed.Count == 0 ? "allreduce (float, double), broadcast and barrier agree" : string.Join("; ", failed);
        Console.WriteLine(asJson
            ? new JsonObject { ["rank"] = rank, ["ranks"] = n, ["launcher"] = launch.LauncherName, ["communicator"] = world.Description, ["ok"] = failed.Count == 0, ["outcome"] = outcome }.ToJsonString()
            : $"rank {rank} of {n} ({launch.LauncherName}, {world.Description}): {outcome}");
        return failed.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    static void Print(JsonObject r)
    {
        Console.WriteLine($"PdeOps     {r["pdeops"]}");
        Console.WriteLine($".NET       {r["dotnet"]} ({r["os"]}, {r["architecture"]})");
        Console.WriteLine($"libtorch   {r["libtorch"]} (TorchSharp {r["torchsharp"]}); oneDNN {((bool)r["onednn"]! ? "on" : "off")}");
        Console.WriteLine($"ILGPU      {r["ilgpu"]}");
        Console.WriteLine($"heap       {((bool)r["native_heap_keeps_large_blocks"]! ? "large native blocks kept (32 MiB mmap threshold, no trimming)" : "glibc's allocator as configured")}");
        Console.WriteLine($"cores      {r["cores"]}; threads: .NET {r["dotnet_threads"]}, torch {r["torch_threads"]}");
        Console.WriteLine("accelerators:");
        foreach (var a in r["accelerators"]!.AsArray()) Console.WriteLine($"  {a!["type"],-8} {a["name"]}");
        var mpi = r["mpi"]!;
        Console.WriteLine($"MPI        {mpi["library"]}; launcher {mpi["launcher"]}, rank {mpi["rank"]} of {mpi["ranks"]}");
    }
}
