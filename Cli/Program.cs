using System.CommandLine;
using PdeOps.Cli.Commands;
using PdeOps.Cli.Commands.Solve;
using PdeOps.Cli.Infrastructure;
using PdeOps.Operators.Runtime;

namespace PdeOps.Cli;

/// <summary>
/// Entry point of <c>pdeops</c>. Exit codes: 0 success, 1 runtime failure (one line naming the
/// cause on stderr; <c>--verbose</c> adds the stack trace), 2 bad command line.
/// </summary>
public static class Program
{
    /// <summary>Runs the command line and returns the exit code.</summary>
    public static int Main(string[] args)
    {
        HostTuning.Apply();
        var verbose = new Option<bool>("--verbose") { Description = "Show stack traces of failures", Recursive = true };
        var root = BuildRoot(verbose);
        var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parse.Errors.Count > 0)
        {
            string message = SolveCommand.UnknownProblem(parse) ?? OneLine(Named(parse.Errors[0]));
            Console.Error.WriteLine($"pdeops: {message} (see 'pdeops --help')");
            return ExitCodes.Usage;
        }
        int exit = ExitCodes.Failure;
        // A file written to standard output (--out /dev/stdout) keeps the stream to itself: the
        // command's report goes to stderr instead of into the file's bytes.
        var report = Console.Out;
        if (WritesToStandardOutput(parse)) Console.SetOut(Console.Error);
        try
        {
            return exit = parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"pdeops: {e.Message}");
            return exit = ExitCodes.Usage;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"pdeops: error: {FailureMessage.Describe(e)}");
            if (parse.GetValue(verbose)) Console.Error.WriteLine(e);
            return exit = ExitCodes.Failure;
        }
        finally
        {
            Console.SetOut(report);
            // After the outcome is printed: the ranks of a job end together here.
            DistributedLaunch.Finish(failed: exit != ExitCodes.Ok);
        }
    }

    /// <summary>True when an option of the command that names a file to write names standard output.</summary>
    static bool WritesToStandardOutput(ParseResult parse) =>
        parse.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>().Any(o =>
            WritesAFile(parse.CommandResult.Command, o.Option.Name) && o.Tokens.Any(t => StandardOutputFile.IsNamedBy(t.Value)));

    static string OneLine(string message) => FailureMessage.OneLine(message);

    /// <summary>A parse error's message, prefixed with the option it concerns when the message does not name it.</summary>
    static string Named(System.CommandLine.Parsing.ParseError error)
    {
        string? option = error.SymbolResult switch
        {
            System.CommandLine.Parsing.OptionResult o => o.Option.Name,
            System.CommandLine.Parsing.ArgumentResult { Parent: System.CommandLine.Parsing.OptionResult o } => o.Option.Name,
            _ => null,
        };
        return option is null || error.Message.Contains(option, StringComparison.Ordinal) ? error.Message : $"{option}: {error.Message}";
    }

    /// <summary>The root command with every group.</summary>
    public static RootCommand BuildRoot(Option<bool> verbose)
    {
        var root = new RootCommand("PdeOps: classical PDE solvers, datasets and neural operators for .NET") { verbose };
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(SolveCommand.Create());
        root.Subcommands.Add(PlotCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(DatasetsCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(CheckpointCommand.Create());
        root.Subcommands.Add(PinnCommand.Create());
        root.Subcommands.Add(HypinoCommand.Create());
        CheckPaths(root);
        CheckSinglePrecision(root);
        return root;
    }

    /// <summary>Options whose values reach the networks, which compute in single precision.</summary>
    static readonly HashSet<string> SinglePrecisionSymbols = ["--lr", "--weight-decay", "--fourier-scale", "--residual-weight", "--derivative-weight"];

    /// <summary>
    /// Makes a value beyond single precision (<c>--lr 1e300</c>) a usage error of every command that
    /// takes it: it failed after the work had begun with libtorch's "value cannot be converted to
    /// type float without overflow", or trained on infinities until the loss was NaN.
    /// </summary>
    static void CheckSinglePrecision(Command command)
    {
        foreach (var option in command.Options.Where(o => SinglePrecisionSymbols.Contains(o.Name)))
            option.Validators.Add(r =>
            {
                if (r.Tokens.Count == 1 && double.TryParse(r.Tokens[0].Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v)
                    && double.IsFinite(v) && Math.Abs(v) > float.MaxValue)
                    r.AddError($"{option.Name} {r.Tokens[0].Value} is beyond single precision (at most {float.MaxValue:G3}), in which the networks compute");
            });
        foreach (var sub in command.Subcommands) CheckSinglePrecision(sub);
    }

    /// <summary>True when <paramref name="option"/> of <paramref name="command"/> names a file to write; the --out of train, hypino train, demo and hypino benchmarks is a folder.</summary>
    static bool WritesAFile(Command command, string option) =>
        option is "--out" or "--train-out" or "--test-out" or "--pinn" or "--plot" && !(option == "--out" && command.Name is "train" or "demo" or "benchmarks");

    /// <summary>Options and arguments that name files or folders (and train's --model, a model's name, which must not be empty either).</summary>
    static readonly HashSet<string> PathSymbols =
    [
        "--out", "--input", "--data", "--test", "--model", "--pinn", "--plot", "--plots", "--reference", "--init-from", "--finetune-from",
        "--unet-weights", "--pinn-baseline", "--initial", "--train-out", "--test-out", "--config", "file", "run", "runs", "shards",
    ];

    /// <summary>
    /// Makes an empty path, and a folder path (<c>d/</c>, or an existing folder) or a place no file can
    /// be created in (<see cref="Physics.IO.AtomicFile.WhyNotWritable"/>) where a file is to be written, usage errors
    /// of every command: <c>--out ""</c> otherwise reached the file system and failed after the work
    /// with .NET's "The value cannot be an empty string".
    /// </summary>
    static void CheckPaths(Command command)
    {
        foreach (var option in command.Options.Where(o => PathSymbols.Contains(o.Name)))
        {
            bool file = WritesAFile(command, option.Name);
            option.Validators.Add(r =>
            {
                if (r.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value))) r.AddError($"{option.Name} must not be empty");
                // "dir/" cannot name a file: the write failed after the work, leaving the folder it made.
                else if (file && r.Tokens.FirstOrDefault(t => Path.EndsInDirectorySeparator(t.Value)) is { } folder)
                    r.AddError($"{option.Name} names a folder ('{folder.Value}'); give a file name");
                // An existing folder: the write failed after the work with "Is a directory".
                else if (file && r.Tokens.FirstOrDefault(t => Directory.Exists(t.Value)) is { } existing)
                    r.AddError($"{option.Name} {existing.Value} is a folder; give a file name");
                // A place no file can be written: the write failed after the work (a bench's half hour).
                else if (file && r.Tokens.Select(t => (t.Value, Why: Physics.IO.AtomicFile.WhyNotWritable(t.Value))).FirstOrDefault(p => p.Why is not null) is { Why: { } why } blocked)
                    r.AddError($"{option.Name} {blocked.Value}: {why}");
            });
        }
        foreach (var argument in command.Arguments.Where(a => PathSymbols.Contains(a.Name)))
            argument.Validators.Add(r =>
            {
                if (r.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value))) r.AddError($"the {argument.Name} argument must not be empty");
            });
        foreach (var sub in command.Subcommands) CheckPaths(sub);
    }
}
