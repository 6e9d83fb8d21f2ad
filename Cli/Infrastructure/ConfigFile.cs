using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PdeOps.Cli.Infrastructure;

/// <summary>
/// A <c>--config FILE.json</c> of a command: an object whose keys are the command's option names
/// without the leading dashes (dashes may be written as underscores: "weight_decay"). Every value
/// is parsed by the option itself, with the same types, allowed values and validators as on the
/// command line, so a misspelt key, a wrong type or a value the command line would refuse is a
/// usage error naming the file and the key. Options given on the command line win.
/// </summary>
public sealed class ConfigFile
{
    readonly string _path;
    readonly Dictionary<Option, ParseResult> _values = [];

    ConfigFile(string path) => _path = path;

    /// <summary>Reads <paramref name="path"/> for <paramref name="command"/>, leaving out <paramref name="excluded"/> options.</summary>
    /// <exception cref="UsageException">The file is missing, not a JSON object, or holds an unknown key or a bad value.</exception>
    public static ConfigFile Read(string path, Command command, params Option[] excluded)
    {
        if (!File.Exists(path)) throw new UsageException($"--config {path}: no such file");
        JsonObject json;
        try { json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("the top level is not an object"); }
        catch (JsonException e) { throw new UsageException($"--config {path}: not a JSON object ({FailureMessage.OneLine(e.Message)})"); }
        var options = command.Options.Where(o => !excluded.Contains(o) && o.Name.StartsWith("--", StringComparison.Ordinal))
            .ToDictionary(o => o.Name[2..], StringComparer.Ordinal);
        var config = new ConfigFile(path);
        foreach (var (key, value) in json)
        {
            if (!options.TryGetValue(key.Replace('_', '-'), out var option))
                throw new UsageException($"--config {path}: unknown key '{key}' (known: {string.Join(", ", options.Keys.Select(k => k.Replace('-', '_')).Order(StringComparer.Ordinal))})");
            string token = Token(path, key, value);
            // The option alone under a scratch root: its own parser and validators judge the value.
            var scratch = new RootCommand { option };
            var result = scratch.Parse([option.Name, token]);
            scratch.Options.Remove(option);
            if (result.Errors.Count > 0)
                throw new UsageException($"--config {path}: key '{key}': {FailureMessage.OneLine(result.Errors[0].Message)}");
            config._values[option] = result;
        }
        return config;
    }

    /// <summary>The value of <paramref name="option"/>: from the command line when given there, else from the file, else the default.</summary>
    public T? Get<T>(ParseResult commandLine, Option<T> option) =>
        commandLine.GetResult(option) is { Implicit: false } || !_values.TryGetValue(option, out var fromFile)
            ? commandLine.GetValue(option)
            : fromFile.GetValue(option);

    /// <summary>True when the file sets <paramref name="option"/>.</summary>
    public bool Sets(Option option) => _values.ContainsKey(option);

    static string Token(string path, string key, JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v => v.ToJsonString(),
        JsonArray a => string.Join(",", a.Select(e => e is JsonValue item && !item.TryGetValue<string>(out _) ? item.ToJsonString()
            : throw new UsageException($"--config {path}: key '{key}': a list holds numbers only"))),
        null => throw new UsageException($"--config {path}: key '{key}' is null; leave it out for the default"),
        _ => throw new UsageException($"--config {path}: key '{key}' holds an object; expected a value as on the command line"),
    };
}
