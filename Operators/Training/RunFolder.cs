using System.Text.Json;
using System.Text.Json.Nodes;
using PdeOps.Operators.Checkpoints;
using PdeOps.Operators.Models;
using PdeOps.Physics.IO;

namespace PdeOps.Operators.Training;

/// <summary>
/// The folder of a training run and its <c>run.json</c>: the spec (model, options, training
/// settings) and the fingerprints of the training and test data. Opening a folder for a new run
/// refuses one that holds a run with a completed epoch; opening it to resume refuses other settings
/// (apart from threads, and the learning rate, which may be lowered after a divergence) and other
/// data. A run that fails before its first epoch completes removes what it wrote, so a failed start
/// never blocks a retry. The folder is locked until <see cref="Dispose"/>: a second run on it, with
/// or without resume, is refused while the first trains.
/// </summary>
internal sealed class RunFolder : IDisposable
{
    const string RunFile = "run.json";
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    readonly bool _existed;
    readonly bool _fresh;
    readonly FolderLock _lock;

    RunFolder(string path, bool existed, bool fresh, FolderLock held)
    {
        Path = path; _existed = existed; _fresh = fresh; _lock = held;
    }

    /// <summary>The run folder.</summary>
    public string Path { get; }

    /// <summary>Opens <paramref name="folder"/> for the run described by <paramref name="run"/> (spec and data) and returns its published state.</summary>
    /// <exception cref="CheckpointException">The folder holds another run, other data, or nothing to resume.</exception>
    public static (RunFolder Folder, RunState State) Open(string folder, JsonObject run, bool resume)
    {
        string runFile = System.IO.Path.Combine(folder, RunFile);
        bool existed = Directory.Exists(folder);
        if (!resume)
        {
            if (File.Exists(System.IO.Path.Combine(folder, OperatorCheckpoint.DescriptionFile)) || RunState.Load(folder).Epoch > 0)
                throw new CheckpointException(folder, "a training run already lives here; pass --resume to continue it or choose another --out");
            // A run.json without a completed epoch is a start that was killed, or one still in its first epoch.
            Directory.CreateDirectory(folder);
        }
        else if (!File.Exists(runFile)) throw new CheckpointException(folder, $"no {RunFile}: nothing to resume");
        var held = Lock(folder);
        try
        {
            if (resume) return Resume(folder, runFile, run, existed, held);
            OperatorCheckpoint.WriteAtomically(runFile, run.ToJsonString(Indented));
            return (new RunFolder(folder, existed, fresh: true, held), RunState.Initial);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>Locks the run folder for this run; another run holding it is a <see cref="CheckpointException"/>.</summary>
    public static FolderLock Lock(string folder) =>
        FolderLock.TryAcquire(folder) ?? throw new CheckpointException(folder, "another run is training in this folder now; wait for it to finish, or choose another --out");

    static (RunFolder Folder, RunState State) Resume(string folder, string runFile, JsonObject run, bool existed, FolderLock held)
    {
        JsonObject recorded;
        try { recorded = JsonNode.Parse(File.ReadAllText(runFile)) as JsonObject ?? throw new JsonException("not a JSON object"); }
        catch (JsonException e) { throw new CheckpointException(runFile, $"unreadable ({e.Message})", e); }
        recorded = TrainingSpec.UpgradeRunJson(recorded);
        CheckSameData(folder, recorded, run);
        if (!JsonNode.DeepEquals(Comparable(recorded), Comparable(run)))
            throw new CheckpointException(folder, $"the run was started with other settings ({Difference(Comparable(recorded), Comparable(run))}); resume needs the same model, options and training settings");
        var state = RunState.Load(folder);
        var updated = LearningRateChange(recorded, run, state.Epoch);
        if (updated is not null) OperatorCheckpoint.WriteAtomically(runFile, updated.ToJsonString(Indented));
        return (new RunFolder(folder, existed, fresh: state.Epoch == 0, held), state);
    }

    /// <summary>Releases the folder to other runs.</summary>
    public void Dispose() => _lock.Dispose();

    /// <summary>
    /// Removes what a run that never completed an epoch wrote: the whole folder when this run
    /// created it, else only the run's own files. A folder with a published epoch is left alone.
    /// </summary>
    public void DiscardFailedStart()
    {
        if (!_fresh || RunState.Load(Path).Epoch > 0) return;
        try
        {
            if (!_existed) { Directory.Delete(Path, recursive: true); return; }
            foreach (var name in new[] { RunFile, "metrics.csv", "metrics.json", OperatorCheckpoint.DescriptionFile, OperatorCheckpoint.WeightsFile })
                File.Delete(System.IO.Path.Combine(Path, name));
            string last = System.IO.Path.Combine(Path, RunState.FolderName);
            if (Directory.Exists(last)) Directory.Delete(last, recursive: true);
        }
        catch (IOException) { } // the original failure is what the caller reports
        catch (UnauthorizedAccessException) { }
    }

    static void CheckSameData(string folder, JsonObject recorded, JsonObject run)
    {
        // Runs recorded before data fingerprints existed cannot be checked.
        if (recorded["data"] is not JsonObject before) return;
        foreach (var (role, option) in new[] { ("train", "--data"), ("test", "--test") })
        {
            var was = DataFingerprint.FromJson(before[role]);
            var now = DataFingerprint.FromJson(run["data"]?[role]);
            if (was is null || now is null || was.Sha256 == now.Sha256) continue;
            throw new CheckpointException(folder,
                $"resume needs the run's {role} data: {option} {now.File} ({now.Samples} samples, sha256 {now.Sha256[..12]}) is not the {was.File} the run started with ({was.Samples} samples, sha256 {was.Sha256[..12]})");
        }
    }

    // Threads change speed, not results, and the learning rate may be lowered to resume after a
    // divergence; data are compared by content in CheckSameData.
    static JsonNode Comparable(JsonObject run)
    {
        var copy = JsonNode.Parse(run.ToJsonString())!.AsObject();
        copy.Remove("data");
        copy.Remove("learning_rate_changes");
        copy["initial_weights"]?.AsObject().Remove("weights_sha256");
        copy["training"]?.AsObject().Remove("threads");
        copy["training"]?.AsObject().Remove("learning_rate");
        // Options read back through their type: one added after the run started compares at its default.
        if (copy["model"]?.GetValue<string>() is { } model && copy["model_options"] is JsonObject options && OperatorModelRegistry.Default.Contains(model))
            copy["model_options"] = JsonNode.Parse(OperatorModelRegistry.Default.ParseOptions(model, options.ToJsonString()).ToJson());
        return copy;
    }

    /// <summary>The first setting that differs, as "path: RECORDED then, NOW now" (or with other words for then and now).</summary>
    internal static string Difference(JsonNode? recorded, JsonNode? now, string path = "", string then = "then", string current = "now")
    {
        if (recorded is JsonObject a && now is JsonObject b)
        {
            foreach (var key in a.Select(p => p.Key).Union(b.Select(p => p.Key)))
                if (!JsonNode.DeepEquals(a[key], b[key])) return Difference(a[key], b[key], path.Length == 0 ? key : $"{path}.{key}", then, current);
            return path;
        }
        return $"{path}: {recorded?.ToJsonString() ?? "absent"} {then}, {now?.ToJsonString() ?? "absent"} {current}";
    }

    /// <summary>run.json updated with a new learning rate from <paramref name="epoch"/> on, or null when it is unchanged.</summary>
    static JsonObject? LearningRateChange(JsonObject recorded, JsonObject run, int epoch)
    {
        var before = recorded["training"]?["learning_rate"];
        var now = run["training"]?["learning_rate"];
        if (JsonNode.DeepEquals(before, now)) return null;
        var updated = JsonNode.Parse(recorded.ToJsonString())!.AsObject();
        updated["training"]!["learning_rate"] = now?.DeepClone();
        var changes = updated["learning_rate_changes"] as JsonArray ?? [];
        changes.Add(new JsonObject { ["from_epoch"] = epoch + 1, ["before"] = before?.DeepClone(), ["after"] = now?.DeepClone() });
        updated["learning_rate_changes"] = changes;
        updated["data"] ??= run["data"]?.DeepClone();
        return updated;
    }
}
