using Spectre.Console;

namespace PdeOps.Cli.Infrastructure;

/// <summary>
/// Shows progress of long work: a Spectre.Console bar on an interactive terminal, plain lines
/// (at most one per 10%) when output is redirected to a file or a pipe.
/// </summary>
public static class ProgressDisplay
{
    /// <summary>True when stdout is an interactive terminal.</summary>
    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>
    /// Runs <paramref name="work"/>, which reports completed units (out of <paramref name="total"/>)
    /// through the callback it receives.
    /// </summary>
    public static void Run(string description, int total, Action<Action<int>> work)
    {
        if (Interactive)
        {
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                         new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(description), maxValue: total);
                    work(done => task.Value = done);
                });
            return;
        }
        int lastDecile = -1;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        work(done =>
        {
            int decile = total > 0 ? (int)(10L * done / total) : 10;
            if (decile == lastDecile) return;
            lastDecile = decile;
            Console.WriteLine($"{description}: {done}/{total} ({100L * done / Math.Max(1, total)}%, {watch.Elapsed.TotalSeconds:F1} s)");
        });
    }
}
