// The notebooks' tool, a .NET 10 file-based program (`dotnet run .ci/notebook-tool.cs -- VERB ...`):
//
//   generate [--check] [NAME.cs ...]
//       Writes notebooks/NAME.ipynb from notebooks/NAME.cs (default: every .cs there with cells), or
//       with --check only says which notebooks differ from what their .cs would give (exit 1).
//   check-notebook EXECUTED.ipynb [--images N] [--expect CHECK ...]
//       Checks a notebook executed by dotnet-repl: no cell failed (each failure is printed with its
//       error), at least N image/png outputs, and the numbers printed by the last code cell.
//   check-program STDOUT.txt [--images N] [--expect CHECK ...]
//       The same for the output of `dotnet run notebooks/NAME.cs`: the figures it printed
//       ("figure: PATH") exist as PNG files, and the numbers it printed.
//
// A CHECK bounds a number printed as a line "name = value": "name<0.2", "name>3" or "0.5<name<0.9".
//
// A notebook's .cs is the one source of its content. It starts with #:package lines (which become
// `#r "nuget: ID, VERSION"` in the first code cell of the notebook) and is cut into cells by
// marker comments, as in the "percent" format of other notebook tools:
//   // %%              a code cell, in both the program and the notebook;
//   // %% [markdown]   a markdown cell: its lines are comments, "// " removed;
//   // %% [program]    code of the program only, left out of the notebook (where Prelude, below,
//                      defines Show(path) to display a PNG file in the cell's output instead).
// Before its first code cell the notebook gets Prelude, which also finds the PdeOps packages
// (artifacts/packages) from the notebook's folder upwards and adds them as a package source.
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

// This file is in .ci/ of the repository.
string repository = Path.GetFullPath(Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? Path.Combine(Directory.GetCurrentDirectory(), ".ci"), ".."));

// The first code cell of every notebook: finds the packages and defines how a figure is shown.
const string Prelude = """
    using System.IO;

    // The PdeOps packages: artifacts/packages of the repository, written by `dotnet pack -c Release`
    // at its root (or the folder named by PDEOPS_PACKAGES), found from the notebook's folder upwards.
    var feed = Environment.GetEnvironmentVariable("PDEOPS_PACKAGES");
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); feed is null && dir is not null; dir = dir.Parent)
        if (Directory.Exists(Path.Combine(dir.FullName, "artifacts", "packages"))) feed = Path.Combine(dir.FullName, "artifacts", "packages");
    if (feed is null) throw new DirectoryNotFoundException("artifacts/packages not found: run `dotnet pack -c Release` at the repository root, or set PDEOPS_PACKAGES");
    feed = Path.GetFullPath(feed);
    await Microsoft.DotNet.Interactive.KernelInvocationContext.Current.HandlingKernel.SendAsync(new Microsoft.DotNet.Interactive.Commands.AddPackageSource(feed));
    Console.WriteLine($"PdeOps packages from {feed}");

    // Figures are written as PNG files and shown in the cell's output.
    void Show(string path) => Convert.ToBase64String(File.ReadAllBytes(path)).DisplayAs("image/png");
    """;

if (args.Length == 0) return Usage();
try
{
    return args[0] switch
    {
        "generate" => Generate(args[1..]),
        "check-notebook" => CheckNotebook(args[1..]),
        "check-program" => CheckProgram(args[1..]),
        _ => Usage(),
    };
}
catch (Exception e) when (e is FormatException or IOException or JsonException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"notebook-tool: {e.Message}");
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("usage: notebook-tool generate [--check] [NAME.cs ...] | check-notebook EXECUTED.ipynb [--images N] [--expect CHECK ...] | check-program STDOUT.txt [--images N] [--expect CHECK ...]");
    return 2;
}

int Generate(string[] arguments)
{
    bool check = arguments.Contains("--check");
    string folder = Path.Combine(repository, "notebooks");
    var sources = arguments.Where(a => a != "--check").Select(Path.GetFullPath).ToList();
    if (sources.Count == 0)
        sources = Directory.GetFiles(folder, "*.cs").Where(f => File.ReadLines(f).Any(l => l.StartsWith("// %%", StringComparison.Ordinal))).Order(StringComparer.Ordinal).ToList();
    if (sources.Count == 0) throw new FormatException($"no notebook sources (.cs files with '// %%' cells) in {folder}");
    int stale = 0;
    foreach (string source in sources)
    {
        string target = Path.ChangeExtension(source, ".ipynb");
        string notebook = NotebookText(source);
        string name = Path.GetRelativePath(repository, target);
        if (check)
        {
            if (File.Exists(target) && File.ReadAllText(target) == notebook) continue;
            Console.Error.WriteLine($"{name} is not what {Path.GetFileName(source)} gives: run 'dotnet run .ci/notebook-tool.cs -- generate' and commit it");
            stale++;
        }
        else
        {
            File.WriteAllText(target, notebook);
            Console.WriteLine($"wrote {name}");
        }
    }
    if (check && stale == 0) Console.WriteLine($"{sources.Count} notebooks match their programs");
    return stale == 0 ? 0 : 1;
}

// The notebook (Polyglot/.NET Interactive .ipynb, C# kernel) of a program with cell markers.
static string NotebookText(string source)
{
    var lines = File.ReadAllLines(source);
    var packages = new List<string>();
    int at = 0;
    for (; at < lines.Length && !lines[at].StartsWith("// %%", StringComparison.Ordinal); at++)
    {
        string line = lines[at].Trim();
        if (line.Length == 0 || line.StartsWith("#:property ", StringComparison.Ordinal)) continue;
        var package = Regex.Match(line, @"^#:package\s+([\w.\-]+)@(\S+)$");
        if (!package.Success) throw new FormatException($"{source}:{at + 1}: only #:package and #:property lines may come before the first cell marker, not '{line}'");
        packages.Add($"#r \"nuget: {package.Groups[1].Value}, {package.Groups[2].Value}\"");
    }
    var cells = new JsonArray();
    bool referenced = false;
    while (at < lines.Length)
    {
        var marker = Regex.Match(lines[at], @"^// %%(?: \[(markdown|program)\])?\s*$");
        if (!marker.Success) throw new FormatException($"{source}:{at + 1}: unknown cell marker '{lines[at]}'");
        string kind = marker.Groups[1].Success ? marker.Groups[1].Value : "code";
        int end = at + 1;
        while (end < lines.Length && !lines[end].StartsWith("// %%", StringComparison.Ordinal)) end++;
        var body = lines[(at + 1)..end].ToList();
        if (kind == "markdown")
            body = body.Select((l, k) => l.Length == 0 ? l : l.StartsWith("// ", StringComparison.Ordinal) ? l[3..] : l == "//" ? ""
                : throw new FormatException($"{source}:{at + 2 + k}: a markdown cell holds only comment lines")).ToList();
        while (body.Count > 0 && body[^1].Trim().Length == 0) body.RemoveAt(body.Count - 1);
        while (body.Count > 0 && body[0].Trim().Length == 0) body.RemoveAt(0);
        if (kind == "code" && !referenced)
        {
            cells.Add((JsonNode)Cell("code", [.. Prelude.Split('\n')]));
            body.InsertRange(0, [.. packages, ""]);
            referenced = true;
        }
        if (kind != "program" && body.Count > 0) cells.Add((JsonNode)Cell(kind == "markdown" ? "markdown" : "code", body));
        at = end;
    }
    var notebook = new JsonObject
    {
        ["cells"] = cells,
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
            ["polyglot_notebook"] = new JsonObject
            {
                ["kernelInfo"] = new JsonObject
                {
                    ["defaultKernelName"] = "csharp",
                    ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
                },
            },
        },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 2,
    };
    var options = new JsonSerializerOptions { WriteIndented = true, IndentSize = 1, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    return notebook.ToJsonString(options).Replace("\r\n", "\n") + "\n";
}

static JsonObject Cell(string type, List<string> body)
{
    var source = new JsonArray(body.Select((l, k) => (JsonNode?)(k < body.Count - 1 ? l + "\n" : l)).ToArray());
    if (type == "markdown") return new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = source };
    return new JsonObject
    {
        ["cell_type"] = "code",
        ["execution_count"] = null,
        ["metadata"] = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
        },
        ["outputs"] = new JsonArray(),
        ["source"] = source,
    };
}

static int CheckNotebook(string[] arguments)
{
    var (path, images, checks) = CheckArguments(arguments);
    var notebook = JsonNode.Parse(File.ReadAllText(path))!;
    var codeCells = notebook["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").ToList();
    if (codeCells.Count == 0) return Fail(path, "the notebook has no code cells");
    int failures = 0, pictures = 0, number = 0;
    foreach (var cell in codeCells)
    {
        number++;
        foreach (var output in cell!["outputs"]?.AsArray() ?? [])
        {
            if ((string?)output!["output_type"] == "error")
            {
                failures++;
                string firstLine = Text(cell["source"]).Split('\n').FirstOrDefault(l => l.Trim().Length > 0) ?? "";
                Console.WriteLine($"code cell {number} failed ({firstLine.Trim()}):");
                // The error's message, with the stack trace where the kernel puts it there, else from the traceback.
                var message = Text(output["evalue"]).Split('\n').Where(l => l.Trim().Length > 0).ToList();
                if (message.Count < 2 && output["traceback"] is JsonArray traceback) message.AddRange(traceback.Select(l => (string?)l ?? "").Where(l => l.Trim().Length > 0));
                foreach (string line in message.Take(12)) Console.WriteLine($"  {line}");
            }
            if (output["data"]?["image/png"] is { } png && IsPng(Convert.FromBase64String(Text(png).Trim()))) pictures++;
        }
    }
    if (failures > 0) return Fail(path, $"{failures} cell{(failures == 1 ? "" : "s")} failed");
    if (pictures < images) return Fail(path, $"{pictures} image/png outputs, expected at least {images}");
    string last = string.Concat((codeCells[^1]!["outputs"]?.AsArray() ?? []).Where(o => (string?)o!["output_type"] == "stream").Select(o => Text(o!["text"])));
    return CheckNumbers(path, last, checks, $"{codeCells.Count} code cells ran, {pictures} figures");
}

static int CheckProgram(string[] arguments)
{
    var (path, images, checks) = CheckArguments(arguments);
    string text = File.ReadAllText(path);
    int pictures = 0;
    foreach (Match figure in Regex.Matches(text, @"^figure: (.+)$", RegexOptions.Multiline))
    {
        string file = figure.Groups[1].Value.Trim();
        if (!File.Exists(file) || !IsPng(File.ReadAllBytes(file))) return Fail(path, $"figure {file} is not a PNG file");
        pictures++;
    }
    if (pictures < images) return Fail(path, $"{pictures} figures written, expected at least {images}");
    return CheckNumbers(path, text, checks, $"{pictures} figures");
}

static (string Path, int Images, List<string> Checks) CheckArguments(string[] arguments)
{
    if (arguments.Length == 0) throw new FormatException("the file to check is missing");
    int images = 0;
    var checks = new List<string>();
    for (int k = 1; k < arguments.Length; k++)
    {
        if (arguments[k] == "--images" && k + 1 < arguments.Length) images = int.Parse(arguments[++k], CultureInfo.InvariantCulture);
        else if (arguments[k] == "--expect" && k + 1 < arguments.Length) checks.Add(arguments[++k]);
        else throw new FormatException($"unexpected argument '{arguments[k]}'");
    }
    return (arguments[0], images, checks);
}

// Checks the numbers printed as "name = value" lines (the last one of each name counts).
static int CheckNumbers(string path, string text, List<string> checks, string summary)
{
    var values = new Dictionary<string, double>(StringComparer.Ordinal);
    foreach (Match m in Regex.Matches(text, @"^\s*(\w+) = (\S+)\s*$", RegexOptions.Multiline))
        if (double.TryParse(m.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) values[m.Groups[1].Value] = v;
    var failed = new List<string>();
    foreach (string check in checks)
    {
        var m = Regex.Match(check.Replace(" ", ""), @"^(?:([-+\d.eE]+)<)?(\w+)([<>])([-+\d.eE]+)$");
        if (!m.Success) throw new FormatException($"check '{check}' is not of the form name<X, name>X or A<name<B");
        string name = m.Groups[2].Value;
        if (!values.TryGetValue(name, out double value))
        {
            failed.Add($"{name} was not printed (expected a line '{name} = NUMBER')");
            continue;
        }
        double bound = double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
        bool ok = m.Groups[3].Value == "<" ? value < bound : value > bound;
        if (m.Groups[1].Success) ok &= double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) < value;
        if (!ok) failed.Add($"{name} = {value.ToString("G4", CultureInfo.InvariantCulture)}, expected {check}");
    }
    if (failed.Count > 0) return Fail(path, string.Join("; ", failed));
    string shown = string.Join(", ", values.Select(p => $"{p.Key} = {p.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
    Console.WriteLine($"{Path.GetFileName(path)}: {summary}; {shown}");
    return 0;
}

static int Fail(string path, string reason)
{
    Console.WriteLine($"{Path.GetFileName(path)}: {reason}");
    return 1;
}

static bool IsPng(byte[] bytes) => bytes.Length > 8 && bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 });

// The text of a notebook field written either as one string or as a list of lines.
static string Text(JsonNode? node) => node switch
{
    null => "",
    JsonArray lines => string.Concat(lines.Select(l => (string?)l ?? "")),
    _ => (string?)node ?? "",
};
