using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace PdeOps.Cli.Bench;

/// <summary>
/// Runs the hypre struct-multigrid Poisson peer (PCG + PFMG, built from the peer's C source with
/// mpicc against Debian's libhypre-dev) under mpirun and parses its one-line JSON report.
/// </summary>
public sealed class HyprePeer(string executable, int ranks)
{
    /// <summary>Runs one solve at size n to relative tolerance tol; returns the peer's JSON object.</summary>
    public JsonObject Run(int n, double tol)
    {
        if (!File.Exists(executable)) throw new FileNotFoundException($"hypre peer not found at {executable}; bench/poisson/run.sh builds it from bench/peers/hypre_poisson.c");
        var psi = new ProcessStartInfo("mpirun")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(CultureInfo.InvariantCulture),
                                  executable, n.ToString(CultureInfo.InvariantCulture), "pcg", tol.ToString("R", CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start mpirun");
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"hypre peer failed ({process.ExitCode}): {stderr.Trim()}");
        string? line = stdout.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'));
        return JsonNode.Parse(line ?? throw new InvalidOperationException("hypre peer printed no JSON"))!.AsObject();
    }
}
