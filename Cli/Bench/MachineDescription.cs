using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace PdeOps.Cli.Bench;

/// <summary>The machine a benchmark ran on, recorded beside its figures.</summary>
public static class MachineDescription
{
    /// <summary>CPU model, core count, memory, OS and runtime.</summary>
    public static JsonObject Collect()
    {
        string cpu = "unknown";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                ?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return new JsonObject
        {
            ["cpu"] = cpu,
            ["cores"] = Environment.ProcessorCount,
            ["memory_gb"] = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9, 1),
            ["os"] = RuntimeInformation.OSDescription,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["hostname"] = Environment.MachineName,
        };
    }
}
