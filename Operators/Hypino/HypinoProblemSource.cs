using PdeOps.Datasets.Storage;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;
using PdeOps.Physics.RandomFields;
using PdeOps.Solvers.Elliptic;
using static TorchSharp.torch;

namespace PdeOps.Operators.Hypino;

/// <summary>
/// Where a <see cref="HypinoTrainer"/> takes its problems from. Batch k is a pure function of
/// (the source, k), so a resumed run sees exactly the batches the uninterrupted one would have.
/// </summary>
public interface IHypinoProblemSource : IDisposable
{
    /// <summary>What the source is, for run records ("on the fly, seed 0" or the file).</summary>
    string Description { get; }

    /// <summary>The largest |coefficient| of each operator term (u, ux, uy, uxx, uyy, uxy) among the problems.</summary>
    double[] CoefficientBounds { get; }

    /// <summary>Batch <paramref name="step"/> of <paramref name="size"/> problems rendered at <paramref name="resolution"/>, with the given points per problem.</summary>
    HypinoBatch Batch(long step, int size, int resolution, int interior, int boundary);
}

/// <summary>
/// Manufactured problems drawn on the fly (<see cref="ManufacturedProblems"/>): step k uses
/// problems k·size … k·size + size − 1. Problem i is, with probability
/// <paramref name="solvedFraction"/>, a physics-only problem supervised by its classical solution
/// (<see cref="SolvedProblems"/>), whose source is a drawn function rather than a constant with
/// probability <paramref name="drawnSourceFraction"/>; otherwise physics-only with probability
/// <paramref name="physicsFraction"/>, and otherwise supervised with a solution that vanishes on
/// the square's sides with probability <paramref name="zeroSidesFraction"/>
/// (<see cref="ManufacturedProblems.Supervised(long, bool)"/>).
/// </summary>
public sealed class ManufacturedProblemSource(long seed, double physicsFraction, double zeroSidesFraction = 0, double solvedFraction = 0,
    double drawnSourceFraction = 0) : IHypinoProblemSource
{
    readonly ManufacturedProblems problems = new(seed, new ManufacturedLimits());

    /// <inheritdoc />
    public string Description =>
        $"manufactured on the fly (seed {seed}, physics fraction {physicsFraction}{(zeroSidesFraction == 0 ? "" : $", zero-sides fraction {zeroSidesFraction}")}"
        + $"{(solvedFraction == 0 ? "" : $", classically solved fraction {solvedFraction}")}"
        + $"{(drawnSourceFraction == 0 ? "" : $" of which drawn sources {drawnSourceFraction}")})";

    /// <inheritdoc />
    /// <remarks>HyPINO's operators: 1 to 3 of the terms u, ux, uy, uxx, uyy with coefficients in (−2, 2); no mixed term.</remarks>
    public double[] CoefficientBounds => [2, 2, 2, 2, 2, 0];

    /// <summary>Problem <paramref name="index"/> of the stream (a solved one is solved to be drawn; <see cref="Sample"/> keeps its solution).</summary>
    public Problem2D Problem(long index) => Sample(index).Problem;

    /// <summary>
    /// Problem <paramref name="index"/> of the stream, with its classical solution when it is one
    /// of the solved share (the choice is drawn apart from the problems' own streams, so a source
    /// without that share draws exactly the problems it drew before there was one).
    /// </summary>
    public (Problem2D Problem, MaskedSolution? Solution) Sample(long index)
    {
        var choice = new SampleRandom(seed, index, stream: 15);
        if (solvedFraction > 0 && choice.NextDouble() < solvedFraction)
        {
            var solved = SolvedProblems.Draw(problems, index, drawnSource: drawnSourceFraction > 0 && choice.NextDouble() < drawnSourceFraction);
            return (solved.Problem, solved.Solution);
        }
        return (problems.Mixed(index, physicsFraction, zeroSidesFraction).Problem, null);
    }

    /// <inheritdoc />
    public HypinoBatch Batch(long step, int size, int resolution, int interior, int boundary)
    {
        var chosen = Enumerable.Range(0, size).Select(i => Sample(step * size + i)).ToList();
        return HypinoBatch.FromProblems([.. chosen.Select(c => c.Problem)], resolution, interior, boundary, seed ^ step, [.. chosen.Select(c => c.Solution)]);
    }

    /// <inheritdoc />
    public void Dispose() { }
}

/// <summary>
/// Problems read from a <c>pdeops generate mms</c> file: step k takes `size` samples from a
/// permutation of the file (a new one every pass, seeded), and from each a random subset of its
/// stored interior and boundary points.
/// </summary>
public sealed class MmsFileSource : IHypinoProblemSource
{
    readonly FieldFileReader file;
    readonly float[] coefficients;
    readonly long seed;

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="DataFileException">The file is not an mms file or is damaged.</exception>
    public MmsFileSource(string path, long seed)
    {
        this.seed = seed;
        file = new FieldFileReader(path);
        try
        {
            foreach (var name in new[] { "channels", "interior", "boundary", "supervised", "pde" })
                if (!file.DatasetNames.Contains(name)) throw new DataFileException(path, $"no dataset '{name}': not a 'pdeops generate mms' file");
            var dims = file.Dimensions("channels");
            if (dims.Length != 4 || dims[1] != 5 || dims[2] != dims[3]) throw new DataFileException(path, $"channels must be (samples, 5, n, n), got ({string.Join(", ", dims)})");
            Count = (int)dims[0];
            Resolution = (int)dims[2];
            Interior = (int)file.Dimensions("interior")[1];
            Boundary = (int)file.Dimensions("boundary")[1];
            var pdes = file.Read<string[]>("pde");
            coefficients = pdes.SelectMany(p => LinearOperator2D.Parse(p).Coefficients().Select(c => (float)c)).ToArray();
            if (Count < 1) throw new DataFileException(path, "the file holds no samples");
            CoefficientBounds = Enumerable.Range(0, HypinoOptions.Coefficients)
                .Select(k => Enumerable.Range(0, Count).Max(i => (double)Math.Abs(coefficients[i * HypinoOptions.Coefficients + k]))).ToArray();
        }
        catch
        {
            file.Dispose();
            throw;
        }
        Path = path;
    }

    /// <summary>The file.</summary>
    public string Path { get; }
    /// <summary>Samples in the file.</summary>
    public int Count { get; }
    /// <summary>Points per side of the stored channels.</summary>
    public int Resolution { get; }
    /// <summary>Interior points stored per sample.</summary>
    public int Interior { get; }
    /// <summary>Boundary points stored per sample.</summary>
    public int Boundary { get; }

    /// <inheritdoc />
    public double[] CoefficientBounds { get; } = [];

    /// <inheritdoc />
    public string Description => $"{System.IO.Path.GetFileName(Path)} ({Count} samples at {Resolution}^2)";

    /// <inheritdoc />
    public HypinoBatch Batch(long step, int size, int resolution, int interior, int boundary)
    {
        if (resolution != Resolution) throw new ArgumentException($"the model reads {resolution}^2 grids but {Path} holds {Resolution}^2 channels; generate at --res {resolution}");
        if (interior > Interior || boundary > Boundary)
            throw new ArgumentException($"{Path} stores {Interior} interior and {Boundary} boundary points per sample; asked for {interior} and {boundary}");
        using var scope = NewDisposeScope();
        var random = new Random(Mix(seed, step, 1));
        var order = Permutation(step * size / Count);
        var indices = Enumerable.Range(0, size).Select(i => order[(int)((step * size + i) % Count)]).ToArray();
        Tensor Samples(string name, int perSample) => stack(indices.Select(i => tensor(ToFloat(file.ReadSamples(name, i, 1))).reshape(perSample, -1)).ToArray());
        Tensor Subset(Tensor points, int keep) => points.index_select(1, tensor(Choose(random, (int)points.shape[1], keep)));
        var channels = stack(indices.Select(i => tensor(ToFloat(file.ReadSamples("channels", i, 1))).reshape(5, Resolution, Resolution)).ToArray());
        var coefficientRows = stack(indices.Select(i => tensor(coefficients[(i * HypinoOptions.Coefficients)..((i + 1) * HypinoOptions.Coefficients)])).ToArray());
        var supervised = tensor(indices.Select(i => ToFloat(file.ReadSamples("supervised", i, 1))[0]).ToArray());
        return new HypinoBatch(channels, coefficientRows, Subset(Samples("interior", Interior), interior), Subset(Samples("boundary", Boundary), boundary), supervised).Kept();
    }

    int[] Permutation(long pass)
    {
        var order = Enumerable.Range(0, Count).ToArray();
        new Random(Mix(seed, pass, 2)).Shuffle(order);
        return order;
    }

    // A seed from (seed, counter, purpose) that is the same in every process (HashCode is not).
    static int Mix(long seed, long counter, long purpose) =>
        unchecked((int)(((seed * 6364136223846793005L + counter) * 1442695040888963407L + purpose) >> 17));

    static long[] Choose(Random random, int count, int keep)
    {
        var all = Enumerable.Range(0, count).ToArray();
        random.Shuffle(all);
        return all.Take(keep).Select(i => (long)i).ToArray();
    }

    static float[] ToFloat(Array values) => values switch
    {
        float[] f => f,
        double[] d => Array.ConvertAll(d, v => (float)v),
        _ => throw new InvalidOperationException($"unexpected element type {values.GetType()}"),
    };

    /// <inheritdoc />
    public void Dispose() => file.Dispose();
}
