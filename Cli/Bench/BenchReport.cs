using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Physics.IO;

namespace PdeOps.Cli.Bench;

/// <summary>Prints a benchmark report and, when asked, writes it to a file atomically.</summary>
public static class BenchReport
{
    /// <summary>Prints <paramref name="report"/> as indented JSON and writes it to <paramref name="file"/> when given.</summary>
    public static int Emit(JsonObject report, string? file)
    {
        string text = report.ToJsonString(CommonOptions.JsonStyle);
        Console.WriteLine(text);
        if (file is not null) AtomicFile.Write(file, partial => File.WriteAllText(partial, text + "\n"));
        return ExitCodes.Ok;
    }
}
