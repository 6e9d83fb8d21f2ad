using System.Globalization;
using PdeOps.Cli.Infrastructure;

namespace PdeOps.Cli.Bench;

/// <summary>Parses the comma-separated integer lists of the command line: grid sizes, step counts.</summary>
public static class SizeList
{
    /// <summary>Sizes of at least 3; anything else is a usage error naming the option.</summary>
    public static int[] Parse(string text, string option = "--n") =>
        TryParse(text, minimum: 3) ?? throw new UsageException($"{option} must be a comma-separated list of sizes >= 3, got '{text}'");

    /// <summary>Comma-separated integers of at least <paramref name="minimum"/> (empty entries skipped), or null when the text is not such a list.</summary>
    public static int[]? TryParse(string text, int minimum)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]) || values[i] < minimum)
                return null;
        return values.Length > 0 ? values : null;
    }
}
