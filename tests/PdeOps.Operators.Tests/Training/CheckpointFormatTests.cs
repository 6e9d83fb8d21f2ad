using System.Text.Json;
using System.Text.Json.Nodes;
using PdeOps.Operators.Checkpoints;
using PdeOps.Operators.Inference;
using PdeOps.Operators.Training;
using static PdeOps.Operators.Tests.Training.OperatorTrainerTests;

namespace PdeOps.Operators.Tests.Training;

/// <summary>The files of a run folder: one spelling, one version, and version-1 files still read.</summary>
[Collection("torch random state")]
public sealed class CheckpointFormatTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-format-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static IEnumerable<string> Keys(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Keys(p.Value).Prepend(p.Key)),
        JsonArray a => a.SelectMany(Keys),
        _ => [],
    };

    [Fact]
    public void FilesUseSnakeCaseKeysAndTheCommandLinesSpelling()
    {
        string folder = Path.Combine(_dir, "run");
        var spec = Spec(1);
        OperatorTrainer.Train(spec with { Options = spec.Options with { Optimizer = OptimizerKind.AdamW, Loss = LossKind.RelativeH1 } },
            Synthetic(16, 1), Synthetic(8, 2), folder);
        foreach (var file in new[] { "model.json", "run.json", "metrics.json", Path.Combine("last", "state.json") })
        {
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, file)));
            var camel = Keys(json).Where(k => k.Any(char.IsUpper)).ToList();
            Assert.True(camel.Count == 0, $"{file}: {string.Join(", ", camel)}");
        }
        var run = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "run.json")))!;
        Assert.Equal("adamw", run["training"]!["optimizer"]!.GetValue<string>());
        Assert.Equal("h1", run["training"]!["loss"]!.GetValue<string>());
        Assert.Equal("periodic", run["grid_convention"]!.GetValue<string>());
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "model.json")))!;
        Assert.Equal(2, model["version"]!.GetValue<int>());
        Assert.DoesNotContain(_dir, File.ReadAllText(Path.Combine(folder, "model.json")));
        Assert.DoesNotContain(_dir, File.ReadAllText(Path.Combine(folder, "run.json")));
    }

    /// <summary>model.json and run.json as format version 1 wrote them.</summary>
    static void RewriteAsVersion1(string folder)
    {
        string description = Path.Combine(folder, "model.json");
        var model = JsonNode.Parse(File.ReadAllText(description))!.AsObject();
        model["version"] = 1;
        model.Remove("weights_sha256");
        model["grid_convention"] = "Periodic";
        var options = JsonSerializer.Deserialize<Models.FnoOptions>(model["options"]!.ToJsonString(), Serialization.OperatorJson.Options)!;
        var legacy = JsonNode.Parse(JsonSerializer.Serialize(options, Serialization.OperatorJson.Legacy))!.AsObject();
        legacy["schemaVersion"] = 1;
        model["options"] = legacy;
        File.WriteAllText(description, model.ToJsonString());

        string runFile = Path.Combine(folder, "run.json");
        var run = JsonNode.Parse(File.ReadAllText(runFile))!.AsObject();
        if (run["version"] is null) return;   // already version 1: a resume does not rewrite it
        run.Remove("format"); run.Remove("version"); run.Remove("data");
        run["grid_convention"] = "Periodic";
        run["model_options"] = JsonNode.Parse(JsonSerializer.Serialize(JsonSerializer.Deserialize<Models.FnoOptions>(run["model_options"]!.ToJsonString(), Serialization.OperatorJson.Options), Serialization.OperatorJson.Legacy));
        run["model_options"]!["schemaVersion"] = 1;
        var training = run["training"]!.AsObject();
        var names = new Dictionary<string, string> { ["batch_size"] = "batchSize", ["learning_rate"] = "learningRate", ["weight_decay"] = "weightDecay", ["step_epochs"] = "stepEpochs", ["step_gamma"] = "stepGamma" };
        var values = new Dictionary<string, string> { ["adam"] = "Adam", ["cosine"] = "Cosine", ["l2"] = "RelativeL2", ["global"] = "GaussianGlobal" };
        var old = new JsonObject();
        foreach (var (key, value) in training)
            old[names.GetValueOrDefault(key, key)] = value is JsonValue v && v.TryGetValue<string>(out var text) ? values.GetValueOrDefault(text, text) : value?.DeepClone();
        run["training"] = old;
        File.WriteAllText(runFile, run.ToJsonString());
    }

    [Fact]
    public void Version1CheckpointsLoadResumeAndUpgradeKeepingTheirWeights()
    {
        var train = Synthetic(16, 1);
        var test = Synthetic(8, 2);
        var whole = OperatorTrainer.Train(Spec(3), train, test, Path.Combine(_dir, "whole"));
        string folder = Path.Combine(_dir, "run");
        using (var cancel = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() => OperatorTrainer.Train(Spec(3), train, test, folder,
                progress: p => { if (p.Finished?.Epoch == 2) cancel.Cancel(); }, cancellation: cancel.Token));
        var a = test.Inputs[0].Sample(0).ToArray();
        var expected = new float[a.Length];
        using (var op = NeuralOperator.Load(folder)) op.Predict(a, expected, 16, 16);

        RewriteAsVersion1(folder);
        var predicted = new float[a.Length];
        using (var op = NeuralOperator.Load(folder))
        {
            Assert.Equal(Losses.GridConvention.Periodic, op.Convention);
            op.Predict(a, predicted, 16, 16);
        }
        Assert.Equal(expected, predicted);

        // A run started by version 1 resumes to the result of an uninterrupted run.
        var resumed = OperatorTrainer.Train(Spec(3), train, test, folder, resume: true);
        Assert.Equal(whole.History.Select(m => m.TestRelativeL2), resumed.History.Select(m => m.TestRelativeL2));

        RewriteAsVersion1(folder);
        Assert.Equal(1, OperatorCheckpoint.Upgrade(folder));
        var upgraded = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "model.json")))!;
        Assert.Equal(2, upgraded["version"]!.GetValue<int>());
        Assert.NotNull(upgraded["weights_sha256"]);
        Assert.NotNull(upgraded["options"]!["padding_reference_size"] ?? upgraded["options"]!["trapezoidal_edges"]);
        using (var op = NeuralOperator.Load(folder)) op.Predict(a, predicted, 16, 16);
        using (var op = NeuralOperator.Load(Path.Combine(_dir, "whole"))) op.Predict(a, expected, 16, 16);
        Assert.Equal(expected, predicted);
    }
}
