using System.Text.Json.Nodes;
using PdeOps.Operators.Checkpoints;
using PdeOps.Operators.Training;
using PdeOps.Physics.IO;

namespace PdeOps.Operators.Hypino;

/// <summary>
/// The resumable state of a HyPINO run in <c>RUN/last/</c>: weights and optimizer state in files
/// named by the step, and state.json naming them with the step, the best validation so far and the
/// metrics history, published as <see cref="StatePublication"/> does for every resumable state.
/// </summary>
internal sealed record HypinoRunState(int Step, int BestStep, double BestValidationRelativeL2, IReadOnlyList<HypinoTrainingRecord> History)
{
    const string FolderName = "last";
    const string StateFile = "state.json";

    public HypinoTrainingSummary Summary => new(Step, BestStep, BestValidationRelativeL2, History);

    public static bool Exists(string runFolder) => File.Exists(Path.Combine(runFolder, FolderName, StateFile));

    public void Save(string runFolder, HypinoNetwork network, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        string folder = Path.Combine(runFolder, FolderName);
        Directory.CreateDirectory(folder);
        string weights = $"weights-{Step:D6}.bin", optimizerFile = $"optimizer-{Step:D6}.bin";
        string sha = "";
        AtomicFile.Write(Path.Combine(folder, weights), partial => { network.save(partial); sha = OperatorCheckpoint.Sha256Of(partial); });
        AtomicFile.Write(Path.Combine(folder, optimizerFile), partial => optimizer.save_state_dict(partial));
        var json = new JsonObject
        {
            ["step"] = Step,
            ["best_step"] = BestStep,
            ["best_val_rel_l2"] = BestStep > 0 ? BestValidationRelativeL2 : null,
            ["weights"] = weights,
            ["weights_sha256"] = sha,
            ["optimizer"] = optimizerFile,
            ["history"] = new JsonArray(History.Select(r => (JsonNode?)r.ToJson()).ToArray()),
        };
        StatePublication.Publish(folder, StateFile, json.ToJsonString(), weights, optimizerFile);
    }

    /// <summary>The published state (step 0 when none), loading its weights and optimizer state into the given objects.</summary>
    /// <exception cref="CheckpointException">The state is unreadable or its files are missing or corrupted.</exception>
    public static HypinoRunState Load(string runFolder, HypinoNetwork network, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        string folder = Path.Combine(runFolder, FolderName);
        string path = Path.Combine(folder, StateFile);
        if (!File.Exists(path)) return new HypinoRunState(0, 0, double.PositiveInfinity, []);
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new FormatException("not a JSON object");
            JsonNode Key(string key) => json[key] ?? throw new FormatException($"missing key '{key}'");
            var history = Key("history").AsArray().Select(r => HypinoTrainingRecord.FromJson(r!.AsObject())).ToList();
            var state = new HypinoRunState(Key("step").GetValue<int>(), Key("best_step").GetValue<int>(),
                json["best_val_rel_l2"]?.GetValue<double>() ?? double.PositiveInfinity, history);
            HypinoCheckpoint.LoadWeights(network, Path.Combine(folder, Key("weights").GetValue<string>()), Key("weights_sha256").GetValue<string>());
            string optimizerPath = Path.Combine(folder, Key("optimizer").GetValue<string>());
            if (!File.Exists(optimizerPath)) throw new CheckpointException(optimizerPath, "missing");
            optimizer.load_state_dict(optimizerPath);
            return state;
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new CheckpointException(path, $"unreadable ({e.Message})", e);
        }
    }
}
