using System.CommandLine;
using System.Globalization;
using PdeOps.Cli.Infrastructure;
using PdeOps.Datasets.Benchmarks;
using PdeOps.Operators.Hypino;
using PdeOps.Physics.Pde;
using PdeOps.Physics.Symbolic;

namespace PdeOps.Cli.Workflows;

/// <summary>A problem named on the command line, with its truth (exact, reference file or benchmark reference) and output grid.</summary>
/// <param name="Problem">The problem.</param>
/// <param name="Benchmark">The benchmark's name, when one was named.</param>
/// <param name="Truth">A reference on a grid, when one was given or the benchmark has no exact solution.</param>
/// <param name="Resolution">Points per side of the output grid.</param>
internal sealed record ProblemChoice(Problem2D Problem, string? Benchmark, ReferenceGrid? Truth, int Resolution);

/// <summary>
/// The options that state a linear problem as text (<c>--pde --source --domain --dirichlet
/// --neumann --exact</c>), or name a benchmark, with <c>--reference</c> and <c>--res</c>: shared by
/// the commands that solve such problems (docs/hypino.md gives the grammar).
/// </summary>
internal sealed class ProblemOptions
{
    readonly Option<string?> pde = new("--pde") { Description = "The operator L in L u = f, e.g. \"uxx + uyy\" or \"uy - 0.1*uxx\" (y is time when L is not elliptic)" };
    readonly Option<string?> benchmark = new("--benchmark") { Description = $"Solve one of the seven benchmark problems instead of --pde etc., errors against its reference ({string.Join(", ", PinnBenchmarks.All.Select(b => b.Name))})" };
    readonly Option<string> source = new("--source") { Description = "f(x, y)", DefaultValueFactory = _ => "0" };
    readonly Option<string> domain = new("--domain") { Description = "\"square\" minus holes, e.g. \"square - disk(0.3, 0.2, 0.25)\"", DefaultValueFactory = _ => "square" };
    readonly Option<string[]> dirichlet = new("--dirichlet") { Description = "u = g: \"EXPR\" (every segment not named otherwise) or \"bottom, hole1: EXPR\"; repeatable", AllowMultipleArgumentsPerToken = false };
    readonly Option<string[]> neumann = new("--neumann") { Description = "du/dn = g (outward normal; g may use nx, ny): \"EXPR\" or \"hole1: EXPR\"; repeatable", AllowMultipleArgumentsPerToken = false };
    readonly Option<string?> exact = new("--exact") { Description = "The exact solution, to report errors against" };
    readonly Option<string?> reference = new("--reference") { Description = "An HDF5 file with u and mask on a vertex grid of [-1, 1]^2 (as 'pdeops hypino benchmarks' writes) to report errors against; the output grid is the file's" };
    readonly Option<int?> res = new("--res") { Description = "Points per side of the output grid on [-1, 1]^2 (default 101; 129 with --benchmark, whose solved references need res - 1 to divide 512)" };

    /// <summary>The largest output grid: 4097^2 points, 134 MB of doubles for u alone.</summary>
    const int MaxResolution = 4097;

    public ProblemOptions()
    {
        res.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, out var v) && v < 8) r.AddError($"--res must be at least 8, got {v}");
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, out v) && v > MaxResolution) r.AddError($"--res must be at most {MaxResolution}, got {v}");
        });
    }

    /// <summary>The file given to <c>--reference</c>, if any.</summary>
    public string? ReferencePath(ParseResult parse) => parse.GetValue(reference);

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> All => [pde, benchmark, source, domain, dirichlet, neumann, exact, reference, res];

    /// <summary>
    /// Reads the problem; text that does not parse is a usage error naming the option, prefixed by
    /// <paramref name="supported"/> when given (what the solver accepts).
    /// </summary>
    public ProblemChoice Read(ParseResult parse, string? supported = null)
    {
        var named = parse.GetValue(benchmark);
        if ((named is null) == (parse.GetValue(pde) is null)) throw new UsageException("give --pde (with --source, --domain and conditions) or --benchmark NAME");
        var gridSize = parse.GetValue(res) ?? (named is null ? 101 : 129);
        var chosen = named is null ? null : Benchmark(named, gridSize);
        var problem = chosen?.Problem ?? ReadProblem(parse.GetValue(pde)!, parse.GetValue(source)!, parse.GetValue(domain)!,
            parse.GetValue(dirichlet) ?? [], parse.GetValue(neumann) ?? [], parse.GetValue(exact), supported);
        // The networks compute in single precision: larger data are infinite to them.
        if (problem.FirstDataOutOfRange(gridSize, float.MaxValue) is { } bad)
        {
            string option = bad.Term switch
            {
                DataOutOfRange.Part.Source => "--source",
                DataOutOfRange.Part.Exact => "--exact",
                DataOutOfRange.Part.Dirichlet => "--dirichlet",
                _ => "--neumann",
            };
            throw new UsageException($"{option}: {bad}{(double.IsFinite(bad.Value) ? " (the networks compute in single precision)" : "")}");
        }
        // ... and smaller data than single precision carries an answer to with its digits.
        double size = problem.DataSize(gridSize);
        if (size > 0 && size < HypinoNetwork.SmallestDataMagnitude)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"the problem's data are of size {size:G3} (the largest boundary value, or a tenth of the largest source), below {HypinoNetwork.SmallestDataMagnitude:G3}: the networks compute in single precision, where such answers lose their digits; multiply the data by a power of ten (the solution scales with them)"));
        var coefficients = problem.Operator.Coefficients();
        for (int k = 0; k < coefficients.Length; k++)
            if (Math.Abs(coefficients[k]) > float.MaxValue)
                throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                    $"--pde: the coefficient of {LinearOperator2D.Symbols[k]} is {coefficients[k]:G3}, larger in magnitude than {float.MaxValue:G3} (the networks compute in single precision)"));
        string? referencePath = parse.GetValue(reference);
        if (referencePath is not null && problem.Exact is not null) throw new UsageException("give --exact or --reference, not both");
        if (referencePath is not null && chosen is not null) throw new UsageException("--benchmark brings its own reference; leave out --reference");
        var truth = referencePath is not null ? ReferenceGrid.Read(referencePath)
            : chosen is not null && chosen.Problem.Exact is null ? ReferenceGrid.Of(chosen.Reference(gridSize)) : null;
        return new ProblemChoice(problem, named, truth, truth?.U.GetLength(0) ?? gridSize);
    }

    static PinnBenchmark Benchmark(string name, int res)
    {
        PinnBenchmark chosen;
        try { chosen = PinnBenchmarks.Get(name); }
        catch (ArgumentException e) { throw new UsageException($"--benchmark: {e.Message}"); }
        if (chosen.Problem.Exact is null && 512 % (res - 1) != 0)
            throw new UsageException($"--res {res}: the reference of '{name}' is solved on 512 intervals, so res - 1 must divide 512 (e.g. 129, 257)");
        return chosen;
    }

    static Problem2D ReadProblem(string pde, string source, string domain, string[] dirichlet, string[] neumann, string? exact, string? supported)
    {
        string Where(Exception e) => e switch
        {
            ExpressionParseException p when p.Text == pde => "--pde",
            ExpressionParseException p when p.Text == source => "--source",
            ExpressionParseException p when p.Text == domain => "--domain",
            ExpressionParseException p when p.Text == exact => "--exact",
            ExpressionParseException p when dirichlet.Contains(p.Text) => "--dirichlet",
            ExpressionParseException p when neumann.Contains(p.Text) => "--neumann",
            _ => "problem",
        };
        try
        {
            return Problem2D.FromText(pde, source, domain, dirichlet, neumann, exact);
        }
        catch (Exception e) when (e is ExpressionParseException or ArgumentException)
        {
            throw new UsageException(supported is not null ? $"{Where(e)}: {e.Message}; {supported}" : $"{Where(e)}: {e.Message}");
        }
    }
}
