using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PdeOps.Operators.Checkpoints;
using PdeOps.Physics.IO;

namespace PdeOps.Operators.Hypino;

/// <summary>
/// A trained hypernetwork on disk: a folder with <c>hypino.json</c> (format, the network's options,
/// the largest |coefficient| of every operator term it was trained on, training provenance, the
/// weights' checksum) and <c>weights.bin</c>. A HyPINO run folder is one.
/// </summary>
public static class HypinoCheckpoint
{
    /// <summary>Value of "format" in hypino.json.</summary>
    public const string FormatName = "pdeops-hypino";
    /// <summary>The description's file.</summary>
    public const string DescriptionFile = "hypino.json";
    /// <summary>The weights' file.</summary>
    public const string WeightsFile = "weights.bin";
    const int Version = 1;

    /// <summary>The JSON form of the options (enums as names).</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    /// <summary>The options as a JSON object.</summary>
    public static JsonObject OptionsJson(HypinoOptions options) => JsonSerializer.SerializeToNode(options, Json)!.AsObject();

    /// <summary>
    /// Writes <paramref name="network"/> with its description into <paramref name="folder"/>; both files
    /// are written in full under temporary names before either is renamed.
    /// </summary>
    public static void Save(string folder, HypinoNetwork network, double[] coefficientBounds, JsonObject training)
    {
        AtomicFile.WriteAll([Path.Combine(folder, WeightsFile), Path.Combine(folder, DescriptionFile)], partials =>
        {
            network.save(partials[0]);
            var json = new JsonObject
            {
                ["format"] = FormatName,
                ["version"] = Version,
                ["options"] = OptionsJson(network.Options),
                ["coefficient_bounds"] = new JsonArray(coefficientBounds.Select(b => (JsonNode?)b).ToArray()),
                ["training"] = training.DeepClone(),
                ["weights_sha256"] = OperatorCheckpoint.Sha256Of(partials[0]),
                ["pdeops_version"] = PdeOpsVersion.Current,
                ["written"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            };
            File.WriteAllText(partials[1], json.ToJsonString(Json));
        });
    }

    /// <summary>Reads the description in <paramref name="folder"/>: the options, the coefficient bounds and the training record.</summary>
    /// <exception cref="CheckpointException">The folder is missing, not a HyPINO checkpoint, newer or unreadable.</exception>
    public static (HypinoOptions Options, double[] CoefficientBounds, JsonObject Training, string? WeightsSha256) Read(string folder)
    {
        if (!Directory.Exists(folder)) throw new CheckpointException(folder, "no such HyPINO model folder");
        string path = Path.Combine(folder, DescriptionFile);
        if (!File.Exists(path))
            throw new CheckpointException(folder, File.Exists(Path.Combine(folder, OperatorCheckpoint.DescriptionFile))
                ? "a neural-operator checkpoint, not a HyPINO model (use 'pdeops predict' for it)"
                : $"no {DescriptionFile}: not a HyPINO model folder (a best checkpoint appears after the first validation of 'pdeops hypino train')");
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new CheckpointException(path, "not a JSON object");
            JsonNode Key(string key) => json[key] ?? throw new CheckpointException(path, $"missing key '{key}'");
            if (Key("format").GetValue<string>() != FormatName) throw new CheckpointException(path, $"format is not '{FormatName}'");
            int version = Key("version").GetValue<int>();
            if (version > Version) throw new CheckpointException(path, $"written by a newer PdeOps (format version {version}; this one reads up to {Version})");
            var options = Key("options").Deserialize<HypinoOptions>(Json) ?? throw new CheckpointException(path, "options are null");
            options.Validated();
            var bounds = Key("coefficient_bounds").AsArray().Select(b => b!.GetValue<double>()).ToArray();
            if (bounds.Length != HypinoOptions.Coefficients) throw new CheckpointException(path, $"coefficient_bounds must hold {HypinoOptions.Coefficients} values");
            var training = json["training"] as JsonObject ?? new JsonObject();
            return (options, bounds, (JsonObject)training.DeepClone(), json["weights_sha256"]?.GetValue<string>());
        }
        catch (Exception e) when (e is not CheckpointException and not OutOfMemoryException)
        {
            throw new CheckpointException(path, $"unreadable ({e.Message})", e);
        }
    }

    /// <summary>Builds the network described in <paramref name="folder"/> and loads its checked weights.</summary>
    /// <exception cref="CheckpointException">The description or the weights are missing, corrupted or do not fit.</exception>
    public static (HypinoNetwork Network, double[] CoefficientBounds, JsonObject Training) Load(string folder)
    {
        var (options, bounds, training, sha) = Read(folder);
        var network = new HypinoNetwork(options);
        try
        {
            LoadWeights(network, Path.Combine(folder, WeightsFile), sha);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        return (network, bounds, training);
    }

    /// <summary>Loads weights into <paramref name="network"/> after checking the checksum (when given); refuses non-finite values.</summary>
    internal static void LoadWeights(HypinoNetwork network, string weights, string? sha)
    {
        if (!File.Exists(weights)) throw new CheckpointException(weights, "missing");
        if (sha is not null && OperatorCheckpoint.Sha256Of(weights) != sha)
            throw new CheckpointException(weights, "checksum does not match the description: the file is corrupted or was replaced");
        try { network.load(weights); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CheckpointException(weights, $"weights do not match the HyPINO network described beside them ({e.Message})", e);
        }
        foreach (var (name, p) in network.named_parameters())
            if (!TorchSharp.torch.isfinite(p).all().item<bool>()) throw new CheckpointException(weights, $"parameter '{name}' holds NaN or infinite values");
    }
}
