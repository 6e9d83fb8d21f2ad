using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PdeOps.Datasets.Readers;

namespace PdeOps.Operators.Training;

/// <summary>
/// Identifies the data a run trains or tests on: the file's name and a SHA-256 over the names,
/// shapes and values of the arrays the run uses (after <c>--train-samples</c> and the like). A
/// resumed run compares it with the one recorded in the run folder, so that a different file, or the
/// same file rewritten with other samples, is refused rather than silently mixed into the run.
/// A file moved or copied elsewhere still matches: the values decide, not the path.
/// </summary>
public sealed record DataFingerprint(string File, int Samples, string Sha256)
{
    /// <summary>The fingerprint of <paramref name="data"/>.</summary>
    public static DataFingerprint Of(OperatorDataset data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (role, arrays) in new[] { ("input", data.Inputs), ("output", data.Outputs) })
            foreach (var array in arrays)
            {
                hash.AppendData(Encoding.UTF8.GetBytes($"{role}:{array.Name}:{string.Join("x", array.Shape)};"));
                hash.AppendData(MemoryMarshal.AsBytes(array.Values.AsSpan()));
            }
        return new DataFingerprint(Path.GetFileName(data.SourcePath), data.Samples, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>As JSON: file, samples, sha256.</summary>
    public JsonObject ToJson() => new() { ["file"] = File, ["samples"] = Samples, ["sha256"] = Sha256 };

    /// <summary>Reads what <see cref="ToJson"/> wrote; null when <paramref name="json"/> is null.</summary>
    public static DataFingerprint? FromJson(JsonNode? json) => json is null ? null
        : new DataFingerprint(json["file"]?.GetValue<string>() ?? "", json["samples"]?.GetValue<int>() ?? 0, json["sha256"]?.GetValue<string>() ?? "");
}
