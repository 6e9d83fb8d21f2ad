using System.Diagnostics;
using PdeOps.Operators.Layers.Attention;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Benchmarks;

/// <summary>What <see cref="AttentionBenchmark.Run"/> measured.</summary>
/// <param name="Kernel">Kernel name ("softmax", "linear", "sigmoid", or "physics" for physics attention).</param>
/// <param name="Points">Points per sample.</param>
/// <param name="Width">Feature channels.</param>
/// <param name="Heads">Heads.</param>
/// <param name="Batch">Samples per pass.</param>
/// <param name="StepSeconds">Median of the timed forward+backward passes.</param>
/// <param name="Runs">Every timed pass, in seconds.</param>
/// <param name="PeakGrowthBytes">Growth of the process's peak resident memory over the timed passes (Linux; -1 elsewhere).</param>
public sealed record AttentionBenchmarkResult(string Kernel, long Points, int Width, int Heads, int Batch, double StepSeconds,
    IReadOnlyList<double> Runs, long PeakGrowthBytes);

/// <summary>
/// Times forward and backward passes of one attention layer over the points of a square grid
/// (self-attention, float32), and measures the peak resident memory they take. The grid has the
/// nearest whole square of the requested points.
/// </summary>
public static class AttentionBenchmark
{
    /// <summary>Runs <paramref name="repeat"/> timed passes after one warm-up pass.</summary>
    /// <param name="kernel">"softmax", "linear", "sigmoid" or "physics".</param>
    /// <param name="points">Points per sample, rounded to a square grid.</param>
    /// <param name="width">Feature channels.</param>
    /// <param name="heads">Heads.</param>
    /// <param name="batch">Samples per pass.</param>
    /// <param name="repeat">Timed passes.</param>
    /// <param name="slices">Slices of physics attention.</param>
    /// <param name="chunkElements">The layer's <see cref="IntegralAttention.ChunkElements"/> (linear and physics; 0: no chunks).</param>
    /// <param name="slicesPerHead">Physics attention: each head slices the points on its own (<see cref="PhysicsAttention.SlicingHeads"/>).</param>
    /// <exception cref="ArgumentException">An unknown kernel or invalid sizes.</exception>
    public static AttentionBenchmarkResult Run(string kernel, long points, int width, int heads, int batch, int repeat = 5, int slices = 32,
        long chunkElements = IntegralAttention.DefaultChunkElements, bool slicesPerHead = false)
    {
        if (points < 4 || width < 1 || heads < 1 || batch < 1 || repeat < 1 || slices < 1 || chunkElements < 0)
            throw new ArgumentException("points >= 4, width, heads, batch, repeat, slices >= 1 and chunk elements >= 0 are needed");
        int side = (int)Math.Round(Math.Sqrt(points));
        long n = (long)side * side;
        using var scope = NewDisposeScope();
        manual_seed(0);
        nn.Module layer = kernel == "physics"
            ? new PhysicsAttention(width, heads, slices, slicesPerHead) { ChunkElements = chunkElements }
            : new IntegralAttention(width, heads, AttentionKernels.Create(kernel)) { ChunkElements = chunkElements };
        using var disposeLayer = layer;
        using var grid = PointSet.Grid([side, side], GridConvention.Closed, batch);
        var features = randn([batch, n, width]).requires_grad_(true);
        Tensor Forward(Tensor x) => layer is PhysicsAttention p ? p.Forward(x, grid) : ((IntegralAttention)layer).Forward(x, grid);
        void Pass()
        {
            using var step = NewDisposeScope();
            Forward(features).Power(2).mean().backward();
            features.grad?.zero_();
        }
        Pass();
        bool measured = Runtime.ProcessMemory.ResetPeak();
        long before = Runtime.ProcessMemory.ResidentBytes;
        var runs = new List<double>();
        for (int r = 0; r < repeat; r++)
        {
            var watch = Stopwatch.StartNew();
            Pass();
            runs.Add(watch.Elapsed.TotalSeconds);
        }
        long growth = measured ? Runtime.ProcessMemory.PeakResidentBytes - before : -1;
        var sorted = runs.Order().ToList();
        return new AttentionBenchmarkResult(kernel, n, width, heads, batch, sorted[sorted.Count / 2], runs, growth);
    }
}
