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
        int lastDecile = -1;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        return solve((done, total) =>
        {
            int decile = (int)(10L * done / Math.Max(1, total));
            if (decile == lastDecile || watch.Elapsed.TotalSeconds < 2) return; // short runs stay quiet
            lastDecile = decile;
            Console.Error.WriteLine($"{name}: step {done}/{total} ({watch.Elapsed.TotalSeconds:F0} s)");
        });
    }
}
