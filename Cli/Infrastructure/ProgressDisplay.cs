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
    /// through the callback it receives, from any thread. With <paramref name="unit"/> set, the
    /// display adds the rate (units per second) and the time left.
    /// </summary>
    public static void Run(string description, long total, Action<Action<long>> work, string? unit = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        string Rate(long done) => unit is null || done == 0 ? "" : $", {done / Math.Max(1e-9, watch.Elapsed.TotalSeconds):F2} {unit}/s";
        if (Interactive)
        {
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                         new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(description), maxValue: total);
                    work(done =>
                    {
                        task.Value = done;
                        if (unit is not null) task.Description = Markup.Escape($"{description} ({done}/{total}{Rate(done)})");
                    });
                });
            return;
        }
        int lastDecile = -1;
        var gate = new object();
        work(done =>
        {
            int decile = total > 0 ? (int)(10L * done / total) : 10;
            lock (gate)
            {
                if (decile <= lastDecile) return;
                lastDecile = decile;
                double seconds = watch.Elapsed.TotalSeconds;
                string eta = unit is not null && done > 0 && done < total ? $", about {seconds / done * (total - done):F0} s left" : "";
                Console.WriteLine($"{description}: {done}/{total} ({100L * done / Math.Max(1, total)}%, {seconds:F1} s{Rate(done)}{eta})");
            }
        });
    }
}
