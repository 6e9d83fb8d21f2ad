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

    /// <summary>As JSON (run.json of a run folder; a resumed run must match it).</summary>
    public JsonObject ToJson() => new()
    {
        ["model"] = ModelName,
        ["model_options"] = JsonNode.Parse(ModelOptions.ToJson()),
        ["training"] = JsonNode.Parse(JsonSerializer.Serialize(Options, TrainingOptions.JsonOptions)),
        ["spatial_dims"] = SpatialDims,
        ["grid_convention"] = Convention.ToString(),
    };
}
