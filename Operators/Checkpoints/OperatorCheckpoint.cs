using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using PdeOps.Operators.Training;

namespace PdeOps.Operators.Checkpoints;

/// <summary>Thrown when a checkpoint folder is missing, incomplete or of another format.</summary>
public sealed class CheckpointException(string path, string problem, Exception? inner = null) : Exception($"{path}: {problem}", inner);

/// <summary>
/// A self-describing trained operator: a folder holding <c>model.json</c> (architecture name and
/// options, normalizers of inputs and outputs, the grid it was trained on, what was trained and
/// how, PdeOps version) and <c>weights.bin</c> (TorchSharp parameters of the best epoch). Reading it
/// needs nothing else: <see cref="LoadModel"/> rebuilds the model through the registry.
/// </summary>
public sealed record OperatorCheckpoint
{
    /// <summary>Value of "format" in model.json.</summary>
    public const string FormatName = "pdeops-operator";
    /// <summary>File of the description.</summary>
    public const string DescriptionFile = "model.json";
    /// <summary>File of the best weights.</summary>
    public const string WeightsFile = "weights.bin";

    /// <summary>Registry name of the architecture ("fno", "mgno").</summary>
    public required string ModelName { get; init; }
    /// <summary>The architecture's options as JSON.</summary>
    public required string OptionsJson { get; init; }
    /// <summary>Grid axes of the fields (1, 2 or 3).</summary>
    public required int SpatialDims { get; init; }
    /// <summary>Grid points per axis of the training data.</summary>
    public required int[] TrainingGrid { get; init; }
    /// <summary>Where the samples lie on the grid (closed vertex grid or periodic).</summary>
    public required GridConvention Convention { get; init; }
    /// <summary>Names and normalizers of the input arrays, in channel order.</summary>
    public required ChannelNormalization Inputs { get; init; }
    /// <summary>Channels contributed by each input array.</summary>
    public required int[] InputChannels { get; init; }
    /// <summary>Names and normalizers of the output arrays.</summary>
    public required ChannelNormalization Outputs { get; init; }
    /// <summary>Channels contributed by each output array.</summary>
    public required int[] OutputChannels { get; init; }
    /// <summary>Training provenance (options, data, epochs, best test error).</summary>
    public JsonObject Training { get; init; } = new();

    /// <summary>The PdeOps version writing checkpoints.</summary>
    public static string PdeOpsVersion =>
        typeof(OperatorCheckpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    /// <summary>The description as JSON.</summary>
    public JsonObject ToJson() => new()
    {
        ["format"] = FormatName,
        ["version"] = 1,
        ["model"] = ModelName,
        ["options"] = JsonNode.Parse(OptionsJson),
        ["spatial_dims"] = SpatialDims,
        ["training_grid"] = new JsonArray(TrainingGrid.Select(g => (JsonNode?)g).ToArray()),
        ["grid_convention"] = Convention.ToString(),
        ["inputs"] = Inputs.ToJson(),
        ["input_channels"] = new JsonArray(InputChannels.Select(c => (JsonNode?)c).ToArray()),
        ["outputs"] = Outputs.ToJson(),
        ["output_channels"] = new JsonArray(OutputChannels.Select(c => (JsonNode?)c).ToArray()),
        ["training"] = JsonNode.Parse(Training.ToJsonString()),
        ["pdeops_version"] = PdeOpsVersion,
        ["written"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    };

    /// <summary>Writes model.json and the model's weights into <paramref name="folder"/> (each under a temporary name, then renamed).</summary>
    public void Save(string folder, NeuralOperatorModel model)
    {
        Directory.CreateDirectory(folder);
        SaveWeights(model, Path.Combine(folder, WeightsFile));
        WriteAtomically(Path.Combine(folder, DescriptionFile), ToJson().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Saves the parameters of <paramref name="model"/> to <paramref name="path"/> atomically.</summary>
    public static void SaveWeights(NeuralOperatorModel model, string path)
    {
        model.save(path + ".tmp");
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Writes text to a temporary file and renames it.</summary>
    public static void WriteAtomically(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Reads model.json of <paramref name="folder"/>.</summary>
    /// <exception cref="CheckpointException">The folder is not a checkpoint.</exception>
    public static OperatorCheckpoint Read(string folder)
    {
        string path = Path.Combine(folder, DescriptionFile);
        if (!Directory.Exists(folder)) throw new CheckpointException(folder, "no such checkpoint folder");
        if (!File.Exists(path)) throw new CheckpointException(folder, $"no {DescriptionFile}: not a trained-operator folder");
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            if (json["format"]?.GetValue<string>() != FormatName) throw new CheckpointException(path, $"format is not '{FormatName}'");
            if (json["version"]!.GetValue<int>() > 1) throw new CheckpointException(path, "written by a newer PdeOps (format version > 1)");
            return new OperatorCheckpoint
            {
                ModelName = json["model"]!.GetValue<string>(),
                OptionsJson = json["options"]!.ToJsonString(),
                SpatialDims = json["spatial_dims"]!.GetValue<int>(),
                TrainingGrid = json["training_grid"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray(),
                Convention = Enum.Parse<GridConvention>(json["grid_convention"]!.GetValue<string>()),
                Inputs = ChannelNormalization.FromJson(json["inputs"]!.AsObject()),
                InputChannels = json["input_channels"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray(),
                Outputs = ChannelNormalization.FromJson(json["outputs"]!.AsObject()),
                OutputChannels = json["output_channels"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray(),
                Training = json["training"]?.AsObject() is { } t ? JsonNode.Parse(t.ToJsonString())!.AsObject() : new JsonObject(),
            };
        }
        catch (Exception e) when (e is not CheckpointException and not OutOfMemoryException)
        {
            throw new CheckpointException(path, $"unreadable ({e.Message})", e);
        }
    }

    /// <summary>Rebuilds the model of this checkpoint and loads the weights in <paramref name="folder"/>.</summary>
    public NeuralOperatorModel LoadModel(string folder, OperatorModelRegistry? registry = null, string weightsFile = WeightsFile)
    {
        var model = (registry ?? OperatorModelRegistry.Default).Create(ModelName, OptionsJson);
        try { LoadWeights(model, folder, weightsFile); }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }

    /// <summary>Loads the weights in <paramref name="folder"/> into <paramref name="model"/>, built with this checkpoint's architecture.</summary>
    /// <exception cref="CheckpointException">The file is missing or does not fit the model.</exception>
    public void LoadWeights(NeuralOperatorModel model, string folder, string weightsFile = WeightsFile)
    {
        string weights = Path.Combine(folder, weightsFile);
        if (!File.Exists(weights)) throw new CheckpointException(folder, $"no {weightsFile}");
        try { model.load(weights); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CheckpointException(weights, $"weights do not match the {ModelName} architecture ({e.Message})", e);
        }
    }
}
