using System.Globalization;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Solvers.Common;

namespace PdeOps.Cli.Workflows;

/// <summary>The report every <c>pdeops solve</c> prints: as one JSON object with --json, else as three lines of text (the last the stopping rule).</summary>
public static class SolveReport
{
    /// <summary>The standard fields of an iterative solve, plus any extras; "criterion" is the stopping rule (null for a fixed number of steps).</summary>
    public static JsonObject Create(string problem, int n, long unknowns, SolveResult result, double? maxError, string method,
        int threads, IReadOnlyDictionary<string, JsonNode?>? extra = null)
    {
        var report = new JsonObject
        {
            ["problem"] = problem,
            ["n"] = n,
            ["unknowns"] = unknowns,
            ["method"] = method,
            ["iterations"] = result.Iterations,
            ["convergence_factor"] = Finite(result.ConvergenceFactor),
            ["residual"] = Finite(result.FinalResidual),
            ["relative_residual"] = Finite(result.RelativeResidual),
            ["setup_s"] = result.SetupSeconds,
            ["solve_s"] = result.SolveSeconds,
            ["max_err"] = maxError is { } e ? JsonValue.Create(e) : null,
            ["converged"] = result.Converged,
            ["reason"] = result.Reason.ToReportName(),
            ["criterion"] = result.Criterion.Length > 0 ? result.Criterion : null,
            ["threads"] = threads,
        };
        if (extra is not null)
            foreach (var (k, v) in extra) report[k] = v;
        return report;
    }

    /// <summary>Prints the report as JSON or text; returns the exit code (1 unless the solve converged).</summary>
    public static int Print(JsonObject report, bool json)
    {
        if (json) Console.WriteLine(report.ToJsonString(CommonOptions.JsonStyle));
        else
        {
            var c = CultureInfo.InvariantCulture;
            string Num(string key, string format) => report[key] is JsonValue v && v.TryGetValue(out double d) ? d.ToString(format, c) : "n/a";
            Console.WriteLine($"{report["problem"]} n={report["n"]} ({report["unknowns"]} unknowns), {report["method"]}: {report["reason"]} after {report["iterations"]} iterations, " +
                              $"factor {Num("convergence_factor", "F3")}, relative residual {Num("relative_residual", "E2")}");
            Console.WriteLine($"max error {Num("max_err", "E3")}; setup {Num("setup_s", "F3")} s, solve {Num("solve_s", "F3")} s");
            Console.WriteLine($"stopping rule: {report["criterion"]?.GetValue<string>() ?? "fixed number of steps"}");
        }
        return report["converged"]!.GetValue<bool>() ? ExitCodes.Ok : ExitCodes.Failure;
    }

    static JsonNode? Finite(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
