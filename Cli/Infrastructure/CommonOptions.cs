using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace PdeOps.Cli.Infrastructure;

/// <summary>Options shared by several commands, created fresh for each (an option belongs to one command).</summary>
public static class CommonOptions
{
    /// <summary>JSON output style: indented, invariant numbers.</summary>
    public static readonly JsonSerializerOptions JsonStyle = new()
    {
        WriteIndented = true,
        // Output goes to terminals and files, never into HTML: keep '+' and quotes readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary><c>--json</c>: print one JSON object instead of text.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object instead of text" };

    /// <summary><c>--threads</c>: worker threads (default: all cores; under mpirun or srun, the cores of this rank).</summary>
    public static Option<int> Threads()
    {
        var option = new Option<int>("--threads")
        {
            Description = "Worker threads (default: all cores; under mpirun or srun, the cores bound to this rank or its share of the node's)",
            DefaultValueFactory = _ => DistributedLaunch.DefaultThreads(),
        };
        option.RequireAtLeast(1);
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > MaxThreads)
                r.AddError($"--threads must be at most {MaxThreads} (8 per core, at least 64; this machine has {Environment.ProcessorCount} cores), got {v}");
        });
        return option;
    }

    /// <summary>
    /// The most <c>--threads</c> accepts: 8 per core, at least 64. libtorch starts one OpenMP
    /// thread per requested thread, and a typo such as 100000 would spend minutes starting them.
    /// </summary>
    public static int MaxThreads => Math.Max(64, 8 * Environment.ProcessorCount);

    /// <summary>
    /// Reads the first <paramref name="samples"/> samples of <paramref name="path"/> (all when null),
    /// with a warning when the file holds fewer than asked for: <c>--samples</c> is a maximum.
    /// </summary>
    public static PdeOps.Datasets.Readers.OperatorDataset ReadSamples(string path, int? samples)
    {
        var data = PdeOps.Datasets.Readers.DatasetReader.Read(path, samples);
        if (samples is { } asked && data.Samples < asked)
            Console.Error.WriteLine($"warning: {Path.GetFileName(path)} holds {data.Samples} samples; using all of them (--samples {asked})");
        return data;
    }

    /// <summary>
    /// Refuses two options of one command that name the same file: an output written over an input
    /// would destroy the input, and of two outputs only one would remain. Inputs come first in
    /// <paramref name="files"/>, so the message asks for another output.
    /// </summary>
    public static void RequireDistinctFiles(params (string Option, string? Path)[] files)
    {
        for (int later = 1; later < files.Length; later++)
            for (int earlier = 0; earlier < later; earlier++)
                if (files[earlier].Path is { } a && files[later].Path is { } b && string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal))
                    throw new UsageException($"{files[later].Option} and {files[earlier].Option} name the same file ({b}); give another {files[later].Option}");
    }

    /// <summary><c>--device</c>: where a model runs (cpu, cuda, cuda:N).</summary>
    public static Option<string> Device()
    {
        var option = new Option<string>("--device")
        {
            Description = "Where the model runs: cpu, cuda or cuda:N (CUDA needs a build with -p:TorchBackend=cuda and a GPU)",
            DefaultValueFactory = _ => "cpu",
        };
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && !PdeOps.Operators.Runtime.TorchDevices.IsValidName(r.Tokens[0].Value))
                r.AddError($"--device must be cpu, cuda or cuda:N, got {r.Tokens[0].Value}");
        });
        return option;
    }

    /// <summary>
    /// Checks that the device <paramref name="name"/> exists in this build and on this machine, before any work:
    /// one that does not is a usage error saying what would provide it.
    /// </summary>
    public static string CheckDevice(string name)
    {
        try { PdeOps.Operators.Runtime.TorchDevices.Resolve(name); }
        catch (PdeOps.Operators.Runtime.DeviceUnavailableException e) { throw new UsageException($"--device {e.Message["device ".Length..]}"); }
        return name;
    }

    /// <summary><c>--average-symmetries</c>: grid predictions averaged over the symmetries of the square.</summary>
    public static Option<bool> AverageSymmetries() => new("--average-symmetries")
    {
        Description = "2-D models on square grids: average each prediction over the 8 symmetries of the square (right when the PDE and its data have them, as Darcy with f = 1; 8 forward passes per prediction)",
    };

    /// <summary><c>--predict-grid N</c> (<see cref="Workflows.NestedGridPrediction"/>): at least 2 points per side.</summary>
    public static Option<int?> PredictGrid() => new Option<int?>("--predict-grid")
    {
        Description = "Square vertex grids: the operator reads the N x N grid nested in the data's (every k-th vertex; for 421^2 data, 85 or 211) and its prediction is interpolated bilinearly back, at a fraction of the cost",
    }.RequireAtLeast(2);

    /// <summary>
    /// Switches <paramref name="op"/>'s symmetry averaging on when <paramref name="requested"/>; a
    /// model it cannot apply to (not 2-D, normalized per point) is a usage error.
    /// </summary>
    public static void ApplySymmetryAveraging(PdeOps.Operators.Inference.NeuralOperator op, bool requested)
    {
        if (!requested) return;
        try { op.SymmetryAveraging = true; }
        catch (InvalidOperationException e) { throw new UsageException($"--average-symmetries: {e.Message}"); }
    }

    /// <summary>Adds a validator: the value, when it parses, must be at least <paramref name="min"/>.</summary>
    /// <remarks>Values that do not parse are reported by the parser itself; reading them here would throw.</remarks>
    public static Option<int> RequireAtLeast(this Option<int> option, int min)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v < min)
                r.AddError($"{option.Name} must be at least {min}, got {v}");
        });
        return option;
    }

    /// <summary>Adds a validator: the value, when given and parsed, must be at least <paramref name="min"/>.</summary>
    public static Option<int?> RequireAtLeast(this Option<int?> option, int min)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v < min)
                r.AddError($"{option.Name} must be at least {min}, got {v}");
        });
        return option;
    }

    /// <summary>Adds a validator: the value, when it parses, must be positive and finite.</summary>
    public static Option<double> RequirePositive(this Option<double> option)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && double.TryParse(r.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && !(v > 0 && double.IsFinite(v)))
                r.AddError($"{option.Name} must be a positive number, got {r.Tokens[0].Value}");
        });
        return option;
    }

    /// <summary>Adds a validator: the value, when it parses, must be zero or positive and finite.</summary>
    public static Option<double> RequireNonNegative(this Option<double> option)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && double.TryParse(r.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && !(v >= 0 && double.IsFinite(v)))
                r.AddError($"{option.Name} must be zero or a positive number, got {r.Tokens[0].Value}");
        });
        return option;
    }
}
