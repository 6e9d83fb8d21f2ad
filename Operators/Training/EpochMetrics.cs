using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace PdeOps.Operators.Training;

/// <summary>The record of one epoch: training loss, test errors, learning rate and time.</summary>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TestRelativeL2, double TestRelativeH1, double LearningRate, double Seconds)
{
    /// <summary>Header of metrics.csv.</summary>
    public const string CsvHeader = "epoch,train_loss,test_rel_l2,test_rel_h1,lr,seconds";

    /// <summary>One CSV row.</summary>
    public string ToCsv() => string.Join(",", new[] { Epoch.ToString(CultureInfo.InvariantCulture) }
        .Concat(new[] { TrainLoss, TestRelativeL2, TestRelativeH1, LearningRate, Seconds }.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));

    /// <summary>As a JSON object.</summary>
    public JsonObject ToJson() => new()
    {
        ["epoch"] = Epoch,
        ["train_loss"] = TrainLoss,
        ["test_rel_l2"] = TestRelativeL2,
        ["test_rel_h1"] = TestRelativeH1,
        ["lr"] = LearningRate,
        ["seconds"] = Seconds,
    };

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    public static EpochMetrics FromJson(JsonObject json)
    {
        double D(string key) => json[key]?.GetValue<double>() ?? throw new FormatException($"epoch metrics without '{key}'");
        return new EpochMetrics((int)D("epoch"), D("train_loss"), D("test_rel_l2"), D("test_rel_h1"), D("lr"), D("seconds"));
    }

    /// <summary>Parses a row written by <see cref="ToCsv"/>.</summary>
    public static EpochMetrics FromCsv(string line)
    {
        var f = line.Split(',');
        double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
        return new EpochMetrics(int.Parse(f[0], CultureInfo.InvariantCulture), D(1), D(2), D(3), D(4), D(5));
    }

    /// <summary>Writes metrics.csv and metrics.json of <paramref name="history"/> atomically.</summary>
    public static void WriteAll(string folder, IReadOnlyList<EpochMetrics> history, JsonObject summary)
    {
        var csv = new StringBuilder().AppendLine(CsvHeader);
        foreach (var m in history) csv.AppendLine(m.ToCsv());
        Checkpoints.OperatorCheckpoint.WriteAtomically(Path.Combine(folder, "metrics.csv"), csv.ToString());
        var json = JsonNode.Parse(summary.ToJsonString())!.AsObject();
        json["epochs"] = new JsonArray(history.Select(m => (JsonNode?)m.ToJson()).ToArray());
        Checkpoints.OperatorCheckpoint.WriteAtomically(Path.Combine(folder, "metrics.json"), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Reads metrics.csv of <paramref name="folder"/>.</summary>
    public static List<EpochMetrics> ReadAll(string folder) =>
        File.ReadAllLines(Path.Combine(folder, "metrics.csv")).Skip(1).Where(l => l.Length > 0).Select(FromCsv).ToList();
}
