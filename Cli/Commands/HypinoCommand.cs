using System.CommandLine;
using PdeOps.Cli.Infrastructure;
using PdeOps.Datasets.Benchmarks;
using PdeOps.Datasets.Storage;
using PdeOps.Physics.IO;
using PdeOps.Plotting;

namespace PdeOps.Cli.Commands;

/// <summary><c>pdeops hypino benchmarks</c>: the seven evaluation problems with their reference solutions.</summary>
public static class HypinoCommand
{
    /// <summary>Creates the group.</summary>
    public static Command Create()
    {
        var group = new Command("hypino", "HyPINO: problems written as text solved by generated PINNs (docs/hypino.md)");
        group.Subcommands.Add(Benchmarks());
        group.Subcommands.Add(HypinoTrainCommand.Create());
        group.Subcommands.Add(HypinoSolveCommand.Create());
        return group;
    }

    static Command Benchmarks()
    {
        var output = new Option<string>("--out") { Description = "Folder for NAME.h5 (problem text, grid, mask, reference u) and NAME.png", Required = true };
        var res = new Option<int>("--res") { Description = "Points per side of the reference grid on [-1, 1]^2 (n - 1 must divide 512)", DefaultValueFactory = _ => 129 };
        var only = new Option<string[]>("--only") { Description = $"Benchmarks to write (default: all of {string.Join(", ", PinnBenchmarks.All.Select(b => b.Name))})", AllowMultipleArgumentsPerToken = true };
        res.RequireAtLeast(3);
        var command = new Command("benchmarks", "Write the seven benchmark problems (heat, Helmholtz, Helmholtz with holes, Poisson with holes, L-shaped, Gaussian sources, wave) with reference solutions")
        {
            output, res, only,
        };
        command.SetAction(parse =>
        {
            var n = parse.GetValue(res);
            if (512 % (n - 1) != 0) throw new UsageException($"--res {n}: n - 1 must divide 512 (e.g. 65, 129, 257, 513)");
            var folder = parse.GetValue(output)!;
            if (File.Exists(folder)) throw new UsageException($"--out {folder} is a file; give a folder");
            var chosen = parse.GetValue(only) is { Length: > 0 } names
                ? names.Select(name => Chosen(name)).ToArray()
                : PinnBenchmarks.All.ToArray();
            Directory.CreateDirectory(folder);
            foreach (var benchmark in chosen)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var reference = benchmark.Reference(n);
                Write(Path.Combine(folder, benchmark.Name + ".h5"), benchmark, reference);
                var figure = HeatMapFigure.Create(reference.U, $"{benchmark.Name}: {benchmark.Problem.Operator} = f ({reference.Method.Split(' ')[0]})", -1, 1, -1, 1);
                FigureExport.Save(figure, Path.Combine(folder, benchmark.Name + ".png"));
                Console.WriteLine($"{benchmark.Name}: {benchmark.Description} [{reference.Method}; {watch.Elapsed.TotalSeconds:F1} s]");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    static PinnBenchmark Chosen(string name)
    {
        try { return PinnBenchmarks.Get(name); }
        catch (ArgumentException e) { throw new UsageException($"--only: {e.Message}"); }
    }

    static void Write(string path, PinnBenchmark benchmark, BenchmarkReference reference)
    {
        var p = benchmark.Problem;
        var n = reference.U.GetLength(0);
        // NaN marks points outside the domain; the file stores 0 there and the mask says which.
        var u = new double[n, n];
        for (var j = 0; j < n; j++) for (var i = 0; i < n; i++) u[j, i] = reference.Mask[j, i] > 0 ? reference.U[j, i] : 0;
        var builder = new FieldFileBuilder()
            .AddArray("u", u).AddArray("mask", reference.Mask)
            .AddArray("x", Enumerable.Range(0, n).Select(i => Physics.Geometry.Domain2D.Coordinate(i, n)).ToArray())
            .AddArray("y", Enumerable.Range(0, n).Select(i => Physics.Geometry.Domain2D.Coordinate(i, n)).ToArray())
            .SetAttribute("benchmark", benchmark.Name).SetAttribute("description", benchmark.Description)
            .SetAttribute("pde", p.Operator.ToString()).SetAttribute("source", p.Source.ToString())
            .SetAttribute("domain", p.Domain.ToString())
            .SetAttribute("dirichlet", string.Join("\n", p.Conditions.Where(c => c.Kind == Physics.Problems.BoundaryKind.Dirichlet).Select(c => $"{c.Segment}: {c.Data}")))
            .SetAttribute("neumann", string.Join("\n", p.Conditions.Where(c => c.Kind == Physics.Problems.BoundaryKind.Neumann).Select(c => $"{c.Segment}: {c.Data}")))
            .SetAttribute("reference_method", reference.Method)
            .SetAttribute("layout", "u[y, x] and mask[y, x] (1 in the closed domain) on the vertex grid of [-1, 1]^2, y ascending")
            .SetAttribute("pdeops_version", Versions.PdeOps);
        if (p.Exact is not null) builder.SetAttribute("exact", p.Exact.ToString());
        AtomicFile.Write(path, partial => builder.Write(partial));
    }
}
