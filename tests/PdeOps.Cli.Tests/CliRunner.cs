namespace PdeOps.Cli.Tests;

/// <summary>Runs <c>pdeops</c> in-process with captured output. Console is global, so tests using it share one collection.</summary>
public static class CliRunner
{
    static readonly object Gate = new();

    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        int exit = 0;
        var (stdout, stderr) = Capture(() => exit = Program.Main(args));
        return (exit, stdout, stderr);
    }

    /// <summary>Runs <paramref name="work"/> with stdout and stderr captured; returns what each received.</summary>
    public static (string Out, string Err) Capture(Action work)
    {
        lock (Gate)
        {
            var oldOut = Console.Out;
            var oldErr = Console.Error;
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            Console.SetOut(stdout);
            Console.SetError(stderr);
            try { work(); }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
            return (stdout.ToString(), stderr.ToString());
        }
    }
}

[CollectionDefinition("console", DisableParallelization = true)]
public sealed class ConsoleCollection;
