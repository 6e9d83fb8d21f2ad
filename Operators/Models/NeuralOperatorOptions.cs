using System.Text.Json;

namespace PdeOps.Operators.Models;

/// <summary>
/// Base of the typed option records that fully describe a neural operator's architecture. A model
/// records the options it was built from so that a checkpoint can store them as versioned JSON next
/// to the weights and rebuild the model (compare neuraloperator's <c>from_checkpoint</c>, with typed
/// records in place of pickled keyword arguments).
/// </summary>
public abstract record NeuralOperatorOptions
{

    /// <summary>Channels of the input field.</summary>
    public abstract int InChannels { get; init; }

    /// <summary>Channels of the output field.</summary>
    public abstract int OutChannels { get; init; }

    /// <summary>
    /// Shared serializer settings (<see cref="Serialization.OperatorJson.Options"/>): snake_case names,
    /// enums as the command line spells them. An unknown property is an error, not skipped: options
    /// written by a newer PdeOps may change what the weights mean. The format version is the
    /// checkpoint's (model.json "version"); options carry none of their own.
    /// </summary>
    public static JsonSerializerOptions JsonOptions => Serialization.OperatorJson.Options;

    /// <summary>Throws <see cref="ArgumentException"/> describing the first invalid setting; returns this otherwise.</summary>
    public abstract NeuralOperatorOptions Validated();

    /// <summary>
    /// These options completed for training on a grid of <paramref name="grid"/> points per axis:
    /// what an architecture derives from its training grid (the FNO's padding reference) is set
    /// here, so trainers need not know any architecture. The default returns the options unchanged.
    /// </summary>
    public virtual NeuralOperatorOptions ForTrainingGrid(IReadOnlyList<int> grid) => this;

    /// <summary>
    /// These options with the settings that only say how the model meets a grid's edge (a spectral
    /// convolution's padding and its reference grid), which no weight depends on, cleared: weights
    /// trained under options equal to these here may start a training under the others (a model
    /// trained on a coarse grid, fine-tuned on a finer one with the same physical padding). The
    /// default returns the options unchanged.
    /// </summary>
    public virtual NeuralOperatorOptions WithoutEdgeSettings() => this;

    /// <summary>
    /// A rough upper estimate of the memory, in bytes, that training this architecture takes on a
    /// grid of <paramref name="grid"/> points with batches of <paramref name="batch"/> samples:
    /// parameters with their gradients and two Adam moments, plus the activations a backward pass
    /// keeps. Commands compare it with the machine's memory to refuse absurd sizes before allocating;
    /// it is not a profile. A <see cref="double"/>, so that absurd sizes cannot overflow.
    /// </summary>
    public abstract double EstimateTrainingBytes(IReadOnlyList<int> grid, int batch);

    /// <summary>Bytes of parameters, gradients and Adam's two moments for <paramref name="parameters"/> float32 numbers.</summary>
    protected static double OptimizerBytes(double parameters) => 4 * 4 * parameters;

    /// <summary>The options as JSON (the concrete type's properties).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, GetType(), JsonOptions);

    /// <summary>Reads options of type <typeparamref name="T"/> from JSON and validates them.</summary>
    /// <exception cref="ArgumentException">The JSON is malformed or describes invalid options.</exception>
    public static T FromJson<T>(string json) where T : NeuralOperatorOptions => (T)FromJson(json, typeof(T));

    /// <summary>Reads options of the given type from JSON and validates them.</summary>
    /// <exception cref="ArgumentException">The JSON is malformed or describes invalid options.</exception>
    /// <param name="json">The options.</param>
    /// <param name="optionsType">The concrete options type.</param>
    /// <param name="formatVersion">1 for options written by format version 1 (camelCase keys).</param>
    public static NeuralOperatorOptions FromJson(string json, Type optionsType, int formatVersion = Serialization.OperatorJson.Version)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (!typeof(NeuralOperatorOptions).IsAssignableFrom(optionsType))
            throw new ArgumentException($"{optionsType.Name} is not a neural operator options type", nameof(optionsType));
        object? value;
        try
        {
            value = formatVersion == 1
                ? JsonSerializer.Deserialize(WithoutKey(json, "schemaVersion"), optionsType, Serialization.OperatorJson.Legacy)
                : JsonSerializer.Deserialize(json, optionsType, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"invalid {optionsType.Name} JSON: {e.Message}", nameof(json), e);
        }
        if (value is not NeuralOperatorOptions options)
            throw new ArgumentException($"the JSON holds no {optionsType.Name}", nameof(json));
        return options.Validated();
    }

    // Version-1 options carried their own schema version, always 1; the checkpoint's version replaced it.
    static string WithoutKey(string json, string key)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json);
        if (node is System.Text.Json.Nodes.JsonObject o) o.Remove(key);
        return node?.ToJsonString() ?? json;
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming <paramref name="setting"/> when a grid of
    /// <paramref name="grid"/> points per axis, padded by <paramref name="padding"/>, resolves fewer
    /// Fourier modes than kept: non-negative ones on the last axis (rfft), each sign on the others.
    /// </summary>
    protected static void RequireModesFit(IReadOnlyList<int> grid, IReadOnlyList<int> modes, int padding, string setting = "Modes")
    {
        for (int a = 0; a < Math.Min(grid.Count, modes.Count); a++)
        {
            int padded = grid[a] + padding;
            int available = a == modes.Count - 1 ? padded / 2 + 1 : padded / 2;
            Require(modes[a] <= available, setting,
                $"{modes[a]} modes on axis {a} exceed the {available} that a {grid[a]}-point grid padded by {padding} resolves; use at most {available}");
        }
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the setting when the condition fails.</summary>
    protected static void Require(bool condition, string setting, string message)
    {
        if (!condition) throw new ArgumentException($"{setting}: {message}", setting);
    }
}
