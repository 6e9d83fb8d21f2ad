using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
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
        var command = new Command("info", "Print the PdeOps, .NET, libtorch and ILGPU versions, threads and accelerators") { json };
        command.SetAction(parse =>
        {
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
            ["accelerators"] = accelerators,
        };
    }

    static void Print(JsonObject r)
    {
        Console.WriteLine($"PdeOps     {r["pdeops"]}");
        Console.WriteLine($".NET       {r["dotnet"]} ({r["os"]}, {r["architecture"]})");
        Console.WriteLine($"libtorch   {r["libtorch"]} (TorchSharp {r["torchsharp"]})");
        Console.WriteLine($"ILGPU      {r["ilgpu"]}");
        Console.WriteLine($"cores      {r["cores"]}; threads: .NET {r["dotnet_threads"]}, torch {r["torch_threads"]}");
        Console.WriteLine("accelerators:");
        foreach (var a in r["accelerators"]!.AsArray()) Console.WriteLine($"  {a!["type"],-8} {a["name"]}");
    }
}
