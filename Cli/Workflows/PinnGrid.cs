using PdeOps.Cli.Infrastructure;
using PdeOps.Datasets.Benchmarks;
using PdeOps.Datasets.Storage;
using PdeOps.Physics.Geometry;
using PdeOps.Physics.Pde;

namespace PdeOps.Cli.Workflows;

/// <summary>A reference solution read from HDF5: u and mask on the n × n vertex grid of [−1, 1]².</summary>
internal sealed record ReferenceGrid(double[,] U, double[,] Mask)
{
    public static ReferenceGrid Of(BenchmarkReference reference) => new(reference.U, reference.Mask);

    public static ReferenceGrid Read(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"--reference: no file {path}");
        using var reader = new FieldFileReader(path);
        foreach (var name in new[] { "u", "mask" })
            if (!reader.DatasetNames.Contains(name))
                throw new DataFileException(path, $"has no dataset '{name}' (it has: {string.Join(", ", reader.DatasetNames)})");
        var u = reader.Read<double[,]>("u");
        var mask = reader.Read<double[,]>("mask");
        if (u.GetLength(0) != u.GetLength(1) || mask.GetLength(0) != u.GetLength(0) || mask.GetLength(1) != u.GetLength(1) || u.GetLength(0) < 3)
            throw new DataFileException(path, $"u ({u.GetLength(0)} x {u.GetLength(1)}) and mask ({mask.GetLength(0)} x {mask.GetLength(1)}) must be one square grid of 3 points per side or more");
        foreach (var (value, inside) in u.Cast<double>().Zip(mask.Cast<double>()))
            if (inside > 0 && !double.IsFinite(value)) throw new DataFileException(path, "u is not finite inside the mask");
        return new ReferenceGrid(u, mask);
    }
}

/// <summary>The network on the output grid, the domain mask, and errors inside the domain when the exact solution is known.</summary>
internal sealed record GridValues(double[,] U, double[,] Mask, double? RelativeL2, double? Mse, double? MaxError)
{
    /// <summary>The exact or reference solution inside the domain (NaN outside), when known.</summary>
    public double[,]? Truth { get; init; }

    public static GridValues Of(Problem2D problem, Func<double[], double[], double[]> predict, int n, ReferenceGrid? truth)
    {
        var (x, y) = (new double[n * n], new double[n * n]);
        for (var j = 0; j < n; j++)
            for (var i = 0; i < n; i++) (x[j * n + i], y[j * n + i]) = (Domain2D.Coordinate(i, n), Domain2D.Coordinate(j, n));
        var predicted = predict(x, y);
        var (u, mask) = (new double[n, n], new double[n, n]);
        var compiled = problem.Exact?.Compile2D();
        Func<int, int, double>? exact = compiled is not null ? (i, j) => compiled.Evaluate(Domain2D.Coordinate(i, n), Domain2D.Coordinate(j, n))
            : truth is not null ? (i, j) => truth.U[j, i] : null;
        var truthField = exact is null ? null : new double[n, n];
        double error = 0, norm = 0, max = 0;
        var inside = 0;
        for (var j = 0; j < n; j++)
            for (var i = 0; i < n; i++)
            {
                var k = j * n + i;
                u[j, i] = predicted[k];
                // Points on the boundary count as part of the solution's domain.
                var within = truth is not null ? truth.Mask[j, i] > 0 : problem.Domain.InClosure(x[k], y[k]);
                mask[j, i] = within ? 1 : 0;
                if (truthField is not null) truthField[j, i] = double.NaN;
                if (exact is null || !within) continue;
                var value = truthField![j, i] = exact(i, j);
                var d = predicted[k] - value;
                error += d * d;
                norm += value * value;
                max = Math.Max(max, Math.Abs(d));
                inside++;
            }
        if (exact is null) return new GridValues(u, mask, null, null, null);
        return new GridValues(u, mask, norm > 0 ? Math.Sqrt(error / norm) : Math.Sqrt(error / inside), error / inside, max) { Truth = truthField };
    }

    /// <summary>|u - truth| inside the domain (NaN outside), or null when the truth is not known.</summary>
    public double[,]? Error()
    {
        if (Truth is null) return null;
        var n = U.GetLength(0);
        var field = new double[n, n];
        for (var j = 0; j < n; j++) for (var i = 0; i < n; i++) field[j, i] = Mask[j, i] > 0 ? Math.Abs(U[j, i] - Truth[j, i]) : double.NaN;
        return field;
    }

    public double[,] Masked()
    {
        var n = U.GetLength(0);
        var field = new double[n, n];
        for (var j = 0; j < n; j++) for (var i = 0; i < n; i++) field[j, i] = Mask[j, i] > 0 ? U[j, i] : double.NaN;
        return field;
    }
}
