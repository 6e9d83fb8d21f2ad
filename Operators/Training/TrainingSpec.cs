using System.Text.Json;
using System.Text.Json.Nodes;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;

namespace PdeOps.Operators.Training;

/// <summary>Everything that defines a training run apart from the data: the architecture, the optimization and the grid convention.</summary>
public sealed record TrainingSpec
{
    /// <summary>Registry name of the model ("fno", "mgno").</summary>
    public required string ModelName { get; init; }
    /// <summary>The architecture; its channel counts are set from the data.</summary>
    public required NeuralOperatorOptions ModelOptions { get; init; }
    /// <summary>Optimization settings.</summary>
    public TrainingOptions Options { get; init; } = new();
    /// <summary>Grid axes of the fields.</summary>
    public int SpatialDims { get; init; } = 2;
    /// <summary>Where the samples lie (vertex grids of elliptic problems are closed; spectral data periodic).</summary>
    public GridConvention Convention { get; init; } = GridConvention.Closed;

    /// <summary>
    /// A checkpoint folder whose weights start the run instead of a random initialisation (a second
    /// training cycle, or fine-tuning on new data): same model and options; the optimizer, the
    /// schedule and the normalizers start afresh from this run's settings and training data.
    /// </summary>
    public string? InitialWeights { get; init; }

    /// <summary>
    /// Where the model and batches live: cpu, cuda or cuda:N (<see cref="Runtime.TorchDevices"/>).
    /// Not part of the run's identity: a run may be resumed on another device.
    /// </summary>
    public string Device { get; init; } = "cpu";

    /// <summary>As JSON (run.json of a run folder; a resumed run must match it), in the current format (<see cref="Serialization.OperatorJson"/>).</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["format"] = RunFormat,
            ["version"] = Serialization.OperatorJson.Version,
            ["model"] = ModelName,
            ["model_options"] = JsonNode.Parse(ModelOptions.ToJson()),
            ["training"] = JsonNode.Parse(JsonSerializer.Serialize(Options, TrainingOptions.JsonOptions)),
            ["spatial_dims"] = SpatialDims,
            ["grid_convention"] = GridConventionName(Convention),
        };
        return json;
    }

    /// <summary>Value of "format" in run.json.</summary>
    public const string RunFormat = "pdeops-run";

    /// <summary>A grid convention as files and the command line spell it: "closed", "periodic".</summary>
    public static string GridConventionName(GridConvention convention) => convention.ToString().ToLowerInvariant();

    /// <summary>
    /// A run.json of format version 1 (no "version"; camelCase settings, C# enum names) in the
    /// current spelling, so that runs started before the format changed can be resumed.
    /// </summary>
    public static JsonObject UpgradeRunJson(JsonObject run)
    {
        if (run["version"] is not null) return run;
        var upgraded = JsonNode.Parse(run.ToJsonString())!.AsObject();
        upgraded["format"] = RunFormat;
        upgraded["version"] = Serialization.OperatorJson.Version;
        if (upgraded["training"] is JsonObject training) upgraded["training"] = Serialization.OperatorJson.UpgradeTrainingSettings(training);
        if (upgraded["grid_convention"]?.GetValue<string>() is { } convention) upgraded["grid_convention"] = convention.ToLowerInvariant();
        if (upgraded["model"]?.GetValue<string>() is { } model && upgraded["model_options"] is JsonObject options
            && OperatorModelRegistry.Default.Contains(model))
        {
            var parsed = NeuralOperatorOptions.FromJson(options.ToJsonString(), OperatorModelRegistry.Default.Get(model).OptionsType, formatVersion: 1);
            upgraded["model_options"] = JsonNode.Parse(parsed.ToJson());
        }
        return upgraded;
    }
}
