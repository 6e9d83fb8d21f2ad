using System.Globalization;
using System.Text.Json.Nodes;
using PdeOps.Operators.Checkpoints;
using PdeOps.Operators.Models;
using PdeOps.Physics.IO;

namespace PdeOps.Operators.Training;

/// <summary>
/// The resumable state of a run after a completed epoch, kept in <c>RUN/last/</c>: the weights and
/// optimizer state of that epoch in files named by the epoch, and <c>state.json</c> naming them with
/// the epoch, the best epoch so far, the weights' checksum and the whole metrics history.
/// <para>
/// Saving is one atomic step: the epoch's files are written in full, then <c>state.json</c> is
/// replaced by a rename (the publication), then the previous epoch's files are removed. A kill or a
/// full disk at any point leaves a published state whose files are all present, so a run is always
/// resumable from its last published epoch; metrics.csv is rewritten from the state on resume.
/// </para>
/// </summary>
public sealed record RunState(int Epoch, int BestEpoch, double BestTestRelativeL2, IReadOnlyList<EpochMetrics> History)
{
    /// <summary>Folder of the state inside a run folder.</summary>
    public const string FolderName = "last";
    const string StateFile = "state.json";
    const int Version = 2;

    /// <summary>The state of a run that has not completed an epoch.</summary>
    public static RunState Initial { get; } = new(0, 0, double.PositiveInfinity, []);

    /// <summary>Saves this state with the model's weights and the optimizer's state into <c>runFolder/last</c>.</summary>
    public void Save(string runFolder, NeuralOperatorModel model, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        string folder = Path.Combine(runFolder, FolderName);
        Directory.CreateDirectory(folder);
        string weights = $"weights-{Epoch:D5}.bin", optimizerFile = $"optimizer-{Epoch:D5}.bin";
        string sha = OperatorCheckpoint.SaveWeights(model, Path.Combine(folder, weights));
        AtomicFile.Write(Path.Combine(folder, optimizerFile), partial => optimizer.save_state_dict(partial));
        var json = new JsonObject
        {
            ["version"] = Version,
            ["epoch"] = Epoch,
            ["best_epoch"] = BestEpoch,
            ["best_test_rel_l2"] = BestEpoch > 0 ? BestTestRelativeL2 : null,
            ["weights"] = weights,
            ["weights_sha256"] = sha,
            ["optimizer"] = optimizerFile,
            ["history"] = new JsonArray(History.Select(m => (JsonNode?)m.ToJson()).ToArray()),
        };
        StatePublication.Publish(folder, StateFile, json.ToJsonString(), weights, optimizerFile);
    }

    /// <summary>
    /// Reads the published state of <paramref name="runFolder"/> (<see cref="Initial"/> when no epoch
    /// completed) and, when <paramref name="model"/> is given, loads its weights and optimizer state.
    /// Version-1 states (weights.bin and optimizer.bin, history in metrics.csv) are read too.
    /// </summary>
    /// <exception cref="CheckpointException">The state is unreadable or its files are missing or corrupted.</exception>
    public static RunState Load(string runFolder, NeuralOperatorModel? model = null, TorchSharp.Modules.OptimizerHelper? optimizer = null)
    {
        string folder = Path.Combine(runFolder, FolderName);
        string path = Path.Combine(folder, StateFile);
        if (!File.Exists(path)) return Initial;
        JsonObject json;
        try { json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new FormatException("not a JSON object"); }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException)
        {
            throw new CheckpointException(path, $"unreadable ({e.Message})", e);
        }
        JsonNode Key(string key) => json[key] ?? throw new CheckpointException(path, $"missing key '{key}'");
        int epoch = Key("epoch").GetValue<int>();
        int version = json["version"]?.GetValue<int>() ?? 1;
        List<EpochMetrics> history;
        string weights, optimizerFile;
        if (version >= Version)
        {
            history = Key("history").AsArray().Select(m => EpochMetrics.FromJson(m!.AsObject())).ToList();
            weights = Key("weights").GetValue<string>();
            optimizerFile = Key("optimizer").GetValue<string>();
        }
        else
        {
            history = File.Exists(Path.Combine(runFolder, "metrics.csv")) ? EpochMetrics.ReadAll(runFolder).Where(m => m.Epoch <= epoch).ToList() : [];
            weights = OperatorCheckpoint.WeightsFile;
            optimizerFile = "optimizer.bin";
        }
        if (history.Count != epoch) throw new CheckpointException(runFolder, $"the saved state is at epoch {epoch} but its history holds {history.Count} epochs");
        var state = new RunState(epoch, Key("best_epoch").GetValue<int>(), json["best_test_rel_l2"]?.GetValue<double>() ?? double.PositiveInfinity, history);
        if (model is not null)
        {
            string weightsPath = Path.Combine(folder, weights);
            if (!File.Exists(weightsPath)) throw new CheckpointException(folder, $"the saved state names {weights}, which is missing");
            if (json["weights_sha256"]?.GetValue<string>() is { } sha && OperatorCheckpoint.Sha256Of(weightsPath) != sha)
                throw new CheckpointException(weightsPath, "checksum does not match state.json: the file is corrupted or was replaced");
            OperatorCheckpoint.LoadWeightsFile(model, weightsPath, model.ModelName);
            string optimizerPath = Path.Combine(folder, optimizerFile);
            if (!File.Exists(optimizerPath)) throw new CheckpointException(folder, $"the saved state names {optimizerFile}, which is missing");
            optimizer?.load_state_dict(optimizerPath);
        }
        return state;
    }

    /// <summary>The epoch as text, for messages.</summary>
    public override string ToString() => Epoch.ToString(CultureInfo.InvariantCulture);
}
