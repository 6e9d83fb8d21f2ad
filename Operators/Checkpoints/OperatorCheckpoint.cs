using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using PdeOps.Operators.Serialization;
using PdeOps.Operators.Training;
using PdeOps.Physics.IO;

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
    /// <summary>
    /// SHA-256 of weights.bin (lower-case hex) as written with the description; loading refuses
    /// weights that do not match. Null in checkpoints written before checksums were recorded.
    /// </summary>
    public string? WeightsSha256 { get; init; }

    /// <summary>The description as JSON.</summary>
    public JsonObject ToJson() => new()
    {
        ["format"] = FormatName,
        ["version"] = Serialization.OperatorJson.Version,
        ["model"] = ModelName,
        ["options"] = JsonNode.Parse(OptionsJson),
        ["spatial_dims"] = SpatialDims,
        ["training_grid"] = new JsonArray(TrainingGrid.Select(g => (JsonNode?)g).ToArray()),
        ["grid_convention"] = TrainingSpec.GridConventionName(Convention),
        ["inputs"] = Inputs.ToJson(),
        ["input_channels"] = new JsonArray(InputChannels.Select(c => (JsonNode?)c).ToArray()),
        ["outputs"] = Outputs.ToJson(),
        ["output_channels"] = new JsonArray(OutputChannels.Select(c => (JsonNode?)c).ToArray()),
        ["training"] = JsonNode.Parse(Training.ToJsonString()),
        ["weights_sha256"] = WeightsSha256,
        ["pdeops_version"] = PdeOpsVersion.Current,
        ["written"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Writes the model's weights and model.json (with the weights' checksum) into
    /// <paramref name="folder"/>. Both are written in full under temporary names before either is
    /// renamed, so a full disk or a crash while writing leaves the previous checkpoint intact.
    /// </summary>
    public void Save(string folder, NeuralOperatorModel model)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAll([Path.Combine(folder, WeightsFile), Path.Combine(folder, DescriptionFile)], partials =>
        {
            model.save(partials[0]);
            var json = (this with { WeightsSha256 = Sha256Of(partials[0]) }).ToJson();
            File.WriteAllText(partials[1], json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        });
    }

    /// <summary>Saves the parameters of <paramref name="model"/> to <paramref name="path"/> atomically and returns their SHA-256.</summary>
    public static string SaveWeights(NeuralOperatorModel model, string path)
    {
        string sha = "";
        AtomicFile.Write(path, partial => { model.save(partial); sha = Sha256Of(partial); });
        return sha;
    }

    /// <summary>Writes text to a temporary file and renames it; the temporary file never outlives a failure.</summary>
    public static void WriteAtomically(string path, string text) => AtomicFile.Write(path, partial => File.WriteAllText(partial, text));

    /// <summary>SHA-256 of a file's bytes, lower-case hex.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
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
            var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new CheckpointException(path, "not a JSON object");
            JsonNode Key(string key) => json[key] ?? throw new CheckpointException(path, $"missing key '{key}'");
            if (Key("format").GetValue<string>() != FormatName) throw new CheckpointException(path, $"format is not '{FormatName}'");
            int version = Key("version").GetValue<int>();
            if (version > Serialization.OperatorJson.Version)
                throw new CheckpointException(path, $"written by a newer PdeOps (format version {version}; this one reads up to {Serialization.OperatorJson.Version})");
            string model = Key("model").GetValue<string>();
            string convention = Key("grid_convention").GetValue<string>();
            var checkpoint = new OperatorCheckpoint
            {
                ModelName = model,
                OptionsJson = version == 1 ? UpgradedOptions(model, Key("options").ToJsonString()) : Key("options").ToJsonString(),
                SpatialDims = Key("spatial_dims").GetValue<int>(),
                TrainingGrid = Key("training_grid").AsArray().Select(n => n!.GetValue<int>()).ToArray(),
                Convention = Enum.TryParse<GridConvention>(convention, ignoreCase: true, out var c) ? c
                    : throw new CheckpointException(path, $"grid_convention '{convention}' is not one of {string.Join(", ", Enum.GetNames<GridConvention>())}"),
                Inputs = ChannelNormalization.FromJson(Key("inputs").AsObject()),
                InputChannels = Key("input_channels").AsArray().Select(n => n!.GetValue<int>()).ToArray(),
                Outputs = ChannelNormalization.FromJson(Key("outputs").AsObject()),
                OutputChannels = Key("output_channels").AsArray().Select(n => n!.GetValue<int>()).ToArray(),
                Training = json["training"]?.AsObject() is { } t ? JsonNode.Parse(t.ToJsonString())!.AsObject() : new JsonObject(),
                WeightsSha256 = json["weights_sha256"]?.GetValue<string>(),
            };
            if (checkpoint.TrainingGrid.Length != checkpoint.SpatialDims || checkpoint.TrainingGrid.Any(g => g < 1))
                throw new CheckpointException(path, $"training_grid ({string.Join(", ", checkpoint.TrainingGrid)}) does not describe a {checkpoint.SpatialDims}D grid");
            checkpoint.Inputs.CheckUsable(checkpoint.InputChannels, checkpoint.TrainingGrid, "input");
            checkpoint.Outputs.CheckUsable(checkpoint.OutputChannels, checkpoint.TrainingGrid, "output");
            return checkpoint;
        }
        catch (Exception e) when (e is not CheckpointException and not OutOfMemoryException)
        {
            throw new CheckpointException(path, $"unreadable ({e.Message})", e);
        }
    }

    /// <summary>Options written by format version 1 (camelCase) in the current format; unchanged for models the default registry does not know.</summary>
    static string UpgradedOptions(string model, string legacy) => OperatorModelRegistry.Default.Contains(model)
        ? NeuralOperatorOptions.FromJson(legacy, OperatorModelRegistry.Default.Get(model).OptionsType, formatVersion: 1).ToJson()
        : legacy;

    /// <summary>
    /// Rewrites the checkpoint in <paramref name="folder"/> in the current format through the
    /// writer, keeping its weights (loaded, checked and saved again) and its training provenance,
    /// with absolute paths of the machine that trained it reduced to file names
    /// (<see cref="OperatorJson.WithoutMachinePaths"/>). A run.json and metrics.json beside it are
    /// brought to the current format the same way.
    /// </summary>
    /// <returns>The format version the folder had.</returns>
    public static int Upgrade(string folder)
    {
        var checkpoint = Read(folder);
        int version = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, DescriptionFile)))?["version"]?.GetValue<int>() ?? 1;
        using var model = checkpoint.LoadModel(folder);
        (checkpoint with { Training = OperatorJson.WithoutMachinePaths(checkpoint.Training) }).Save(folder, model);
        string run = Path.Combine(folder, "run.json");
        if (File.Exists(run) && JsonNode.Parse(File.ReadAllText(run)) is JsonObject recorded)
            WriteAtomically(run, OperatorJson.WithoutMachinePaths(TrainingSpec.UpgradeRunJson(recorded)).ToJsonString(OperatorJson.Indented));
        string metrics = Path.Combine(folder, "metrics.json");
        if (File.Exists(metrics) && JsonNode.Parse(File.ReadAllText(metrics)) is JsonObject history)
            WriteAtomically(metrics, OperatorJson.WithoutMachinePaths(history).ToJsonString(OperatorJson.Indented));
        return version;
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

    /// <summary>
    /// Loads the weights in <paramref name="folder"/> into <paramref name="model"/>, built with this
    /// checkpoint's architecture, after checking them against the recorded checksum; refuses
    /// weights that hold NaN or infinite values.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing, corrupted, non-finite or does not fit the model.</exception>
    public void LoadWeights(NeuralOperatorModel model, string folder, string weightsFile = WeightsFile)
    {
        string weights = Path.Combine(folder, weightsFile);
        if (!File.Exists(weights)) throw new CheckpointException(folder, $"no {weightsFile}");
        if (weightsFile == WeightsFile && WeightsSha256 is { } expected && Sha256Of(weights) != expected)
            throw new CheckpointException(weights, $"checksum does not match the one in {DescriptionFile}: the file is corrupted or was replaced");
        LoadWeightsFile(model, weights, ModelName);
    }

    /// <summary>Loads a weights file into <paramref name="model"/> and checks every parameter is finite.</summary>
    /// <exception cref="CheckpointException">The file does not fit the model or holds non-finite values.</exception>
    public static void LoadWeightsFile(NeuralOperatorModel model, string weights, string modelName)
    {
        try { model.load(weights); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CheckpointException(weights, $"weights do not match the {modelName} architecture ({e.Message})", e);
        }
        if (model.FirstNonFiniteParameter() is { } name)
            throw new CheckpointException(weights, $"parameter '{name}' holds NaN or infinite values");
    }
}
