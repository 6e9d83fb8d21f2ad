using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PdeOps.Datasets.Readers;

namespace PdeOps.Datasets.Tools;

/// <summary>What <see cref="DatasetInfo.Describe"/> reports about a dataset file.</summary>
/// <param name="Path">The file described.</param>
/// <param name="Format">Its detected layout.</param>
/// <param name="Samples">Number of samples.</param>
/// <param name="Arrays">Inputs, outputs and coordinates, in that order.</param>
/// <param name="Attributes">Root attributes (provenance, parameters) and what the reader inferred (family, orientation), as text.</param>
public sealed record DatasetDescription(
    string Path,
    DatasetFormat Format,
    long Samples,
    IReadOnlyList<ArrayDescription> Arrays,
    IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>Why the statistics of the arrays were not computed (they are NaN), or null when they were.</summary>
    public string? StatisticsSkipped { get; init; }

    /// <summary>The description as an indented JSON object (snake_case members); statistics that do not exist are null.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("path", Path);
            json.WriteString("format", Format.ToString());
            json.WriteNumber("samples", Samples);
            if (StatisticsSkipped is not null) json.WriteString("statistics_skipped", StatisticsSkipped);
            json.WriteStartArray("arrays");
            foreach (var a in Arrays)
            {
                json.WriteStartObject();
                json.WriteString("name", a.Name);
                json.WriteString("role", a.Role.ToString().ToLowerInvariant());
                WriteNumbers(json, "shape", a.Shape);
                json.WriteString("dtype", a.Dtype);
                json.WriteString("source", a.Source);
                WriteNumbers(json, "stored_shape", a.StoredShape);
                WriteNumber(json, "min", a.Min);
                WriteNumber(json, "max", a.Max);
                WriteNumber(json, "mean", a.Mean);
                WriteNumber(json, "std", a.Std);
                json.WriteNumber("non_finite", a.NonFinite);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("attributes");
            foreach (var (name, value) in Attributes.OrderBy(p => p.Key, StringComparer.Ordinal)) json.WriteString(name, value);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    static void WriteNumbers(Utf8JsonWriter json, string name, IReadOnlyList<long> values)
    {
        json.WriteStartArray(name);
        foreach (long v in values) json.WriteNumberValue(v);
        json.WriteEndArray();
    }

    static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value + 0.0); // + 0.0 turns -0 into 0
        else json.WriteNull(name);
    }
}
