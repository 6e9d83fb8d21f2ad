using System.Globalization;
using PdeOps.Cli.Infrastructure;

namespace PdeOps.Cli.Bench;

/// <summary>Parses the comma-separated grid sizes the benchmarks take.</summary>
public static class SizeList
{
    /// <summary>Sizes of at least 3; anything else is a usage error naming the option.</summary>
    public static int[] Parse(string text, string option = "--n")
    {
        try
        {
            var ns = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            if (ns.Length == 0 || ns.Any(n => n < 3)) throw new FormatException();
            return ns;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new UsageException($"{option} must be a comma-separated list of sizes >= 3, got '{text}'");
        }
    }
}
