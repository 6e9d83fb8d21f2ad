using PdeOps.Cli.Infrastructure;

namespace PdeOps.Cli.Commands.Solve;

/// <summary>
/// Progress for time-stepping solves: a bar on a terminal, plain lines on stderr when output is
/// redirected (stdout then stays clean for --json and for files).
/// </summary>
public static class SolveProgress
{
    /// <summary>Runs <paramref name="solve"/>, handing it a (done, total) callback.</summary>
    public static T Run<T>(string name, bool json, Func<Action<int, int>, T> solve)
    {
        if (ProgressDisplay.Interactive && !json)
        {
            T result = default!;
            ProgressDisplay.Run(name, 100, report => result = solve((done, total) => report(100L * done / Math.Max(1, total))));
            return result;
        }
        var lines = new PlainLines();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        return solve((done, total) =>
        {
            // After two seconds a line, then one every tenth of the run and at least every half minute
            // of a long one (the solvers report at least every second); short runs stay quiet.
            double elapsed = watch.Elapsed.TotalSeconds;
            if (elapsed < 2 || !lines.Due(done, total, elapsed)) return;
            string left = done > 0 && done < total ? $", about {ProgressDisplay.Duration(elapsed * (total - done) / done)} left" : "";
            Console.Error.WriteLine($"{name}: step {done}/{total} ({elapsed:F0} s{left})");
        });
    }
}
