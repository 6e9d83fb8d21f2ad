using System.Diagnostics;
using PdeOps.Operators.Checkpoints;
using PdeOps.Operators.Hypino;
using PdeOps.Operators.Models;
using PdeOps.Physics.Geometry;
using PdeOps.Physics.IO;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;
using PdeOps.Solvers.Elliptic;
using static TorchSharp.torch;

namespace PdeOps.Cli.Bench;

/// <summary>
/// The grid baseline HyPINO is compared with: a U-Net (<see cref="UNet"/>) trained on the same
/// manufactured problems to map the five problem channels, plus the operator's six coefficients as
/// constant channels (a grid network has no other way to know the operator), straight to u on the
/// grid, by masked MSE against the manufactured solution.
/// </summary>
internal sealed class HypinoUNetBaseline : IDisposable
{
    const int Channels = 5 + HypinoOptions.Coefficients;
    readonly UNet network;

    public HypinoUNetBaseline(int resolution, int width)
    {
        Resolution = resolution;
        network = new UNet(new UNetOptions { InChannels = Channels, OutChannels = 1, Width = width, Levels = 3 });
    }

    public int Resolution { get; }

    public long ParameterCount => network.parameters().Sum(p => p.numel());

    /// <summary>
    /// Trains for <paramref name="steps"/> steps or until <paramref name="budget"/> has passed on
    /// the problems of <paramref name="source"/> (all supervised: the U-Net fits their u); returns steps taken, samples per second and seconds.
    /// </summary>
    public (int Steps, double SamplesPerSecond, double Seconds) Train(int steps, int batch, double learningRate, TimeSpan budget, ManufacturedProblemSource source,
        Action<int, double>? progress = null)
    {
        var optimizer = optim.AdamW(network.parameters(), lr: learningRate, weight_decay: 1e-4);
        var clock = Stopwatch.StartNew();
        int step = 0;
        for (; step < steps && clock.Elapsed < budget; step++)
        {
            using var scope = NewDisposeScope();
            foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate * 0.5 * (1 + Math.Cos(Math.PI * step / steps));
            var problems = Enumerable.Range(0, batch).Select(i => source.Sample((long)step * batch + i)).ToList();
            var (input, target, mask) = Batch(problems);
            var u = network.call(input).squeeze(1);
            var loss = ((u - target).square() * mask).sum() / mask.sum();
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(network.parameters(), 1.0);
            optimizer.step();
            if ((step + 1) % 100 == 0) progress?.Invoke(step + 1, loss.item<float>());
        }
        return (step, step * batch / clock.Elapsed.TotalSeconds, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// u on the baseline's grid for one problem, [y, x]: with <paramref name="averaging"/> other than
    /// none, the mean of its answers to the problem's symmetric images mapped back, as
    /// <see cref="Operators.Hypino.Hypino.Solve"/> averages HyPINO's.
    /// </summary>
    public double[,] Predict(Problem2D problem, SymmetryAveraging averaging = SymmetryAveraging.None)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        network.eval();
        var n = Resolution;
        var rendered = ProblemRendering.Render(problem, n);
        var symmetries = ProblemSymmetry.Of(problem.Operator, averaging);
        var input = new float[symmetries.Count * Channels * n * n];
        for (int b = 0; b < symmetries.Count; b++) Fill(input, b, symmetries[b].Apply(rendered), symmetries[b].Apply(problem.Operator));
        var u = network.call(tensor(input).reshape(symmetries.Count, Channels, n, n)).reshape(symmetries.Count, n * n).to(float64).data<double>().ToArray();
        network.train();
        var mean = new double[n, n];
        for (int b = 0; b < symmetries.Count; b++)
        {
            var answer = new double[n, n];
            for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) answer[j, i] = u[(b * n + j) * n + i];
            var back = symmetries[b].Answer(answer);
            for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) mean[j, i] += back[j, i] / symmetries.Count;
        }
        return mean;
    }

    // Sample b of a batch: the five channels, then each coefficient as a constant channel.
    void Fill(float[] input, int b, RenderedProblem rendered, LinearOperator2D op)
    {
        int n = Resolution;
        for (int c = 0; c < 5; c++) Array.Copy(rendered.Channels[c], 0, input, (b * Channels + c) * n * n, n * n);
        var coefficients = op.Coefficients();
        for (int c = 0; c < coefficients.Length; c++) Array.Fill(input, (float)coefficients[c], (b * Channels + 5 + c) * n * n, n * n);
    }

    // Targets: the exact solution of a manufactured problem, the classical one of a solved problem.
    (Tensor Input, Tensor Target, Tensor Mask) Batch(IReadOnlyList<(Problem2D Problem, MaskedSolution? Solution)> problems)
    {
        int n = Resolution;
        var input = new float[problems.Count * Channels * n * n];
        var target = new float[problems.Count * n * n];
        var mask = new float[problems.Count * n * n];
        for (int b = 0; b < problems.Count; b++)
        {
            var (problem, solution) = problems[b];
            Fill(input, b, ProblemRendering.Render(problem, n), problem.Operator);
            Func<double, double, double> truth = problem.Exact is { } u ? u.Compile2D().Evaluate : solution!.ValueAt;
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++)
                {
                    double x = Domain2D.Coordinate(i, n), y = Domain2D.Coordinate(j, n);
                    var value = problem.Domain.InClosure(x, y) ? truth(x, y) : double.NaN;
                    bool inside = !double.IsNaN(value);
                    mask[b * n * n + j * n + i] = inside ? 1 : 0;
                    target[b * n * n + j * n + i] = inside ? (float)value : 0;
                }
        }
        return (tensor(input).reshape(problems.Count, Channels, n, n), tensor(target).reshape(problems.Count, n, n), tensor(mask).reshape(problems.Count, n, n));
    }

    /// <summary>Saves the weights under a temporary name and renames them: a kill leaves no half-written file to load later.</summary>
    public void Save(string path) => AtomicFile.Write(path, partial => network.save(partial));

    /// <summary>Loads weights saved by <see cref="Save"/>; any other file fails naming it.</summary>
    public void Load(string path)
    {
        try { network.load(path); }
        catch (Exception e) when (e is not OutOfMemoryException and not CheckpointException)
        {
            throw new CheckpointException(path, $"not the weights of this U-Net baseline ({e.Message})", e);
        }
    }

    public void Dispose() => network.Dispose();
}
