using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using PdeOps.Datasets.Readers;
using PdeOps.Datasets.Storage;
using PdeOps.Physics.Problems;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Cli.Workflows;

/// <summary>
/// <c>pdeops predict --certify</c>: every prediction of a Darcy operator is checked by the
/// guaranteed bound of <see cref="EnergyErrorBound"/> and kept when its relative energy-norm error
/// bound is at most the tolerance, else finished by multigrid-preconditioned CG from it until the
/// bound holds (<see cref="CertifiedSolver2D"/>). Only problems with a classical counterpart qualify:
/// files made by <c>pdeops generate darcy</c> (-div(a grad u) = f, u = 0 on the boundary).
/// </summary>
internal sealed class CertifiedPrediction
{
    readonly double _forcing;
    readonly double _tolerance;
    // One sample on all threads, and one sample per thread when several are certified side by side.
    readonly EllipticSolverOptions _options, _serialOptions;

    CertifiedPrediction(double forcing, double tolerance, int threads)
    {
        (_forcing, _tolerance, Threads) = (forcing, tolerance, threads);
        _options = new EllipticSolverOptions { Multigrid = new() { Threads = threads } };
        _serialOptions = new EllipticSolverOptions { Multigrid = new() { Threads = 1 } };
    }

    /// <summary>The data's forcing f on an n x n grid, shared read-only by every problem of that grid.</summary>
    public double[,] ForcingField(int n) => ForcingAndReaction(n).Forcing;

    /// <summary>The relative energy-norm error every answer is held to.</summary>
    public double Tolerance => _tolerance;

    /// <summary>Threads: samples certified side by side by <see cref="CertifyRange"/>, or one sample's threads.</summary>
    public int Threads { get; }

    /// <summary>The certifier for <paramref name="data"/>, or an exception naming why the data has no classical counterpart.</summary>
    public static CertifiedPrediction For(OperatorDataset data, IReadOnlyList<string> inputNames, IReadOnlyList<string> outputNames, int[] grid, double tolerance, int threads)
    {
        string file = Path.GetFileName(data.SourcePath);
        string generator = data.Attributes.GetValueOrDefault(DatasetLayout.GeneratorAttribute) ?? "(none: not a PdeOps-generated file)";
        if (generator != "darcy")
            throw new InvalidDataException($"--certify needs a problem PdeOps can solve classically: {file} was made by generator '{generator}'; only Darcy data ('pdeops generate darcy') has a certified solver");
        if (inputNames.Count != 1 || inputNames[0] != "coefficient" || outputNames.Count != 1 || outputNames[0] != "solution")
            throw new InvalidDataException($"--certify needs a model from coefficient to solution; this one maps {string.Join(", ", inputNames)} to {string.Join(", ", outputNames)}");
        if (grid.Length != 2 || grid[0] != grid[1] || grid[0] < 5)
            throw new InvalidDataException($"--certify needs a square vertex grid of at least 5 x 5, not {string.Join(" x ", grid)}");
        if (data.GridConvention is not DatasetGridConvention.Closed)
            throw new InvalidDataException($"--certify needs vertex-centred (closed) grids; {file} says {data.GridConvention?.ToString() ?? "nothing"}");
        string forcingText = data.Attributes.GetValueOrDefault("param_forcing") ?? "1";
        double forcing = double.Parse(forcingText, CultureInfo.InvariantCulture);
        return new CertifiedPrediction(forcing, tolerance, threads);
    }

    /// <summary>The Darcy problem of one sample's coefficient on an n x n vertex grid, [y, x].</summary>
    public EllipticProblem2D Problem(ReadOnlySpan<float> coefficient, int n) => Problem(Widen(coefficient, new double[n, n]));

    // The Darcy problem of the coefficient field a (n x n, kept by reference).
    EllipticProblem2D Problem(double[,] a)
    {
        var (f, c) = ForcingAndReaction(a.GetLength(0));
        return new EllipticProblem2D(a.GetLength(1) - 1, a.GetLength(0) - 1, a, c, f, BoundaryConditions2D.All(BoundaryKind.Dirichlet));
    }

    // Every sample's f (the constant forcing) and c (zero) on the last grid asked for: the problems share
    // them, read-only, which spares two fields' allocation per sample.
    sealed record SharedFields(int N, double[,] Forcing, double[,] Reaction);
    SharedFields? _shared;

    (double[,] Forcing, double[,] Reaction) ForcingAndReaction(int n)
    {
        if (Volatile.Read(ref _shared) is { } last && last.N == n) return (last.Forcing, last.Reaction);
        var f = new double[n, n];
        MemoryMarshal.CreateSpan(ref f[0, 0], f.Length).Fill(_forcing);
        var made = new SharedFields(n, f, new double[n, n]);
        Volatile.Write(ref _shared, made);
        return (made.Forcing, made.Reaction);
    }

    /// <summary>
    /// Certifies samples <paramref name="first"/> .. first + count - 1 of <paramref name="coefficient"/>, sample
    /// first + i from the prediction at predictions[offset + i n^2 ..] (all from a zero guess when
    /// <paramref name="predictions"/> is null), <see cref="Threads"/> samples at a time, one thread each:
    /// independent samples keep the cores busier than one sample's threads do. Sample first + i's answer
    /// goes to answers[answerOffset + i n^2 ..] (it may be where its prediction was); records in sample order.
    /// </summary>
    public CertifiedSample[] CertifyRange(FieldArray coefficient, int first, int count, int n, float[]? predictions, int offset, float[] answers, long answerOffset)
    {
        var records = new CertifiedSample[count];
        int points = n * n;
        CertifiedSample One(int i, EllipticSolverOptions options) => Certify(coefficient.Sample(first + i),
            predictions is null ? default : predictions.AsSpan(offset + i * points, points), n, options, answers.AsSpan(checked((int)(answerOffset + (long)i * points)), points));
        if (Threads <= 1 || count == 1)
            for (int i = 0; i < count; i++) records[i] = One(i, _options);
        else
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i => records[i] = One(i, _serialOptions));
        return records;
    }

    /// <summary>Certifies sample <paramref name="index"/> of <paramref name="coefficient"/> from its prediction into <paramref name="answer"/>, on this thread alone.</summary>
    public CertifiedSample CertifyOnThisThread(FieldArray coefficient, int index, int n, ReadOnlySpan<float> prediction, Span<float> answer) =>
        Certify(coefficient.Sample(index), prediction, n, _serialOptions, answer);

    // One sample from its prediction (empty: multigrid from a zero guess) into answer. Its coefficient
    // and guess are widened into spare fields, and the answer is written over the guess's field before
    // it is narrowed: certifying many samples allocates no field per sample.
    CertifiedSample Certify(ReadOnlySpan<float> coefficient, ReadOnlySpan<float> prediction, int n, EllipticSolverOptions options, Span<float> answer)
    {
        var a = Widen(coefficient, RentField(n));
        var field = prediction.IsEmpty ? RentField(n) : Widen(prediction, RentField(n));
        try
        {
            var result = CertifiedSolver2D.SolveInto(Problem(a), prediction.IsEmpty ? null : field, _tolerance, field, options);
            var values = MemoryMarshal.CreateReadOnlySpan(ref field[0, 0], field.Length);
            for (int k = 0; k < values.Length; k++) answer[k] = (float)values[k];
            return new CertifiedSample(result.AcceptedAsGiven, result.InitialBound, result.FinalBound, result.Iterations);
        }
        finally
        {
            _spareFields.Add(a);
            _spareFields.Add(field);
        }
    }

    // n x n fields for the samples in flight, reused: a fresh 421^2 field is 1.4 MB of fresh pages,
    // whose first touch costs more than widening a sample into it.
    readonly ConcurrentBag<double[,]> _spareFields = [];

    double[,] RentField(int n)
    {
        while (_spareFields.TryTake(out var field))
            if (field.GetLength(0) == n && field.GetLength(1) == n) return field;
        return new double[n, n];
    }

    /// <summary>Writes <paramref name="values"/> into the n x n field [y, x] in double precision and returns the field.</summary>
    public static double[,] Widen(ReadOnlySpan<float> values, double[,] field)
    {
        var flat = MemoryMarshal.CreateSpan(ref field[0, 0], field.Length);
        for (int k = 0; k < flat.Length; k++) flat[k] = values[k];
        return field;
    }

    /// <summary>One line for sample <paramref name="index"/>: which path it took and its bound.</summary>
    public static string Describe(int index, CertifiedSample s) => s.AcceptedAsGiven
        ? string.Create(CultureInfo.InvariantCulture, $"sample {index}: operator, error bound {s.FinalBound:E2}")
        : string.Create(CultureInfo.InvariantCulture, $"sample {index}: multigrid, error bound {s.InitialBound:E2} -> {s.FinalBound:E2} in {s.Iterations} PCG iterations");
}

/// <summary>How one sample was certified (its answer is written where the caller asked).</summary>
/// <param name="AcceptedAsGiven">True when the prediction passed the bound unchanged; false when multigrid finished it.</param>
/// <param name="InitialBound">The relative energy error bound of the prediction (infinite for a zero start).</param>
/// <param name="FinalBound">The relative energy error bound of the answer, at most the tolerance.</param>
/// <param name="Iterations">Multigrid-preconditioned CG iterations spent.</param>
internal sealed record CertifiedSample(bool AcceptedAsGiven, double InitialBound, double FinalBound, int Iterations);
