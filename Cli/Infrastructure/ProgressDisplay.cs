using Spectre.Console;

namespace PdeOps.Cli.Infrastructure;

/// <summary>
/// Shows progress of long work: a Spectre.Console bar on an interactive terminal, plain lines
/// (one per 10%, and at least one per <see cref="LineInterval"/> seconds of a long run) when
/// output is redirected to a file or a pipe.
/// </summary>
public static class ProgressDisplay
{
    /// <summary>Seconds between plain progress lines of a long run when no tenth of it has passed.</summary>
    public const double LineInterval = 30;

    /// <summary>Seconds as a person reads them: "40 s", "12 min", "70 h".</summary>
    public static string Duration(double seconds) => seconds switch
    {
        < 120 => $"{seconds:F0} s",
        < 7200 => $"{seconds / 60:F0} min",
        _ => $"{seconds / 3600:F0} h",
    };

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
        var lines = new PlainLines();
        var gate = new object();
        work(done =>
        {
            lock (gate)
            {
                double seconds = watch.Elapsed.TotalSeconds;
                if (!lines.Due(done, total, seconds)) return;
                string eta = unit is not null && done > 0 && done < total ? $", about {Duration(seconds / done * (total - done))} left" : "";
                Console.WriteLine($"{description}: {done}/{total} ({100L * done / Math.Max(1, total)}%, {seconds:F1} s{Rate(done)}{eta})");
            }
        });
    }
}

/// <summary>When a plain progress line is due: at each new tenth of the run, and at least every <see cref="ProgressDisplay.LineInterval"/> seconds.</summary>
internal sealed class PlainLines
{
    int _lastDecile = -1;
    double _lastLine;

    /// <summary>True when a line is due at <paramref name="done"/> of <paramref name="total"/> after <paramref name="seconds"/>; it is then counted as written.</summary>
    public bool Due(long done, long total, double seconds)
    {
        int decile = total > 0 ? (int)(10L * done / total) : 10;
        if (decile <= _lastDecile && seconds - _lastLine < ProgressDisplay.LineInterval) return false;
        (_lastDecile, _lastLine) = (Math.Max(decile, _lastDecile), seconds);
        return true;
    }
}
