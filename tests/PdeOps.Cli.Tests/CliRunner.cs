namespace PdeOps.Cli.Tests;

/// <summary>Runs <c>pdeops</c> in-process with captured output. Console is global, so tests using it share one collection.</summary>
public static class CliRunner
{
    static readonly object Gate = new();

    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        lock (Gate)
        {
            var oldOut = Console.Out;
            var oldErr = Console.Error;
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            Console.SetOut(stdout);
            Console.SetError(stderr);
            try { return (Program.Main(args), stdout.ToString(), stderr.ToString()); }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }
}

[CollectionDefinition("console", DisableParallelization = true)]
public sealed class ConsoleCollection;
