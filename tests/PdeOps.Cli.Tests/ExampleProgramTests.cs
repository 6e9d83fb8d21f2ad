using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PdeOps.Cli.Tests;

/// <summary>Runs the programs in examples/ as separate processes, as a user would, on small sizes.</summary>
public sealed class ExampleProgramTests
{
    static readonly string Root = FindRoot();
    static readonly string Model = Path.Combine(Root, "bench", "results", "checkpoints", "darcy85-fno");

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PdeOps.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("PdeOps.sln not found above the test assembly");
    }

    // The example's assembly in the configuration the tests were built in (…/bin/Release/net10.0/).
    static string Run(string example, params string[] args)
    {
        var build = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string dll = Path.Combine(Root, "examples", example, "bin", build.Parent!.Name, build.Name, example + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(4)), $"{example} did not finish in 4 minutes");
        Assert.True(process.ExitCode == 0, $"{example} exited with {process.ExitCode}: {stderr.Result}");
        return stdout;
    }

    static double Number(string text, string pattern) =>
        double.Parse(Regex.Match(text, pattern).Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public void NeuralWarmStartReachesTheSameResidualFromBothGuesses()
    {
        string output = Run("NeuralWarmStart", Model, "2", "85");
        Assert.Matches(@"sample 1: zero guess \d+ iterations", output);
        double cold = Number(output, @"mean PCG iterations ([\d.]+) from zero");
        double warm = Number(output, @"([\d.]+) from the operator \(");
        // Multigrid-preconditioned CG converges in a handful of iterations whatever the start (both solves
        // reached 1e-8 or the program would have failed); a sensible guess never costs more than one extra.
        Assert.InRange(cold, 3, 20);
        Assert.InRange(warm, 1, cold + 1);
        // The classical nested-iteration start: the multigrid solution on the grid twice as coarse,
        // interpolated, is first-order accurate in the energy norm (a few percent here), and saves iterations.
        double nested = Number(output, @"multigrid at 43\^2, interpolated: ([\d.]+) iterations");
        double nestedError = Number(output, @"multigrid at 43\^2, interpolated: [^\n]*energy error ([\d.]+) %");
        Assert.InRange(nestedError, 0.1, 20);
        Assert.InRange(nested, 1, cold);
        // The operator guess with its error against u_h divided by k has exactly 1/k of its energy error;
        // a start 16 times closer never costs more than the zero guess.
        double operatorError = Number(output, @"operator at 43\^2, interpolated: [^\n]*energy error ([\d.]+) %");
        double shrunkError = Number(output, @"error divided by 16: energy error ([\d.]+) %");
        Assert.InRange(16 * shrunkError, operatorError - 0.15, operatorError + 0.15);
        Assert.InRange(Number(output, @"error divided by 16: [^\n]*%, ([\d.]+) iterations"), 1, cold);
    }

    [Fact]
    public void DarcyTransportRunsBothPressureSolversSideBySide()
    {
        string output = Run("DarcyTransport", Model, "3", "85");
        // Step 1 has the generator's two-phase coefficient, the operator's training distribution:
        // its pressure is within a few percent of multigrid's (the checkpoint's test error is 1.4 %).
        Assert.InRange(Number(output, @"step 1: pressure difference ([\d.]+) %"), 0, 5);
        Assert.Matches(@"3 steps on 85x85, timed from step 2: pressure by the operator [\d.]+ ms per step, by multigrid [\d.]+ ms per step", output);
    }

    [Fact]
    public void DarcyWithMultigridConverges()
    {
        string output = Run("DarcyWithMultigrid", "64", "1");
        Assert.InRange(Number(output, @"relative residual ([\d.E+-]+),"), 0, 1e-10);
    }
}
