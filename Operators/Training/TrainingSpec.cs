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

    /// <summary>As JSON (run.json of a run folder; a resumed run must match it).</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["model"] = ModelName,
            ["model_options"] = JsonNode.Parse(ModelOptions.ToJson()),
            ["training"] = JsonNode.Parse(JsonSerializer.Serialize(Options, TrainingOptions.JsonOptions)),
            ["spatial_dims"] = SpatialDims,
            ["grid_convention"] = Convention.ToString(),
        };
        if (InitialWeights is not null) json["initial_weights"] = Path.GetFullPath(InitialWeights);
        return json;
    }
}
