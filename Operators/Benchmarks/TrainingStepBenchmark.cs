using System.Diagnostics;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using static TorchSharp.torch;

namespace PdeOps.Operators.Benchmarks;

/// <summary>
/// Times training steps and inference batches of a registered neural operator on random data of
/// shape (batch, in, res, res): each training step is forward, relative L2 loss, backward and an
/// Adam step inside its own dispose scope; each inference batch is a forward pass under no_grad.
/// Reports medians, because the development machine is shared and noisy.
/// </summary>
public sealed class TrainingStepBenchmark
{
    private readonly OperatorModelRegistry registry;

    /// <summary>Creates the benchmark over <paramref name="registry"/> (the default registry when null).</summary>
    public TrainingStepBenchmark(OperatorModelRegistry? registry = null)
    {
        this.registry = registry ?? OperatorModelRegistry.Default;
    }

    /// <summary>Runs the benchmark; restores libtorch's thread count afterwards.</summary>
    public TrainingStepBenchmarkResult Run(TrainingStepBenchmarkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Resolution < 2) throw new ArgumentOutOfRangeException(nameof(settings), "the resolution must be at least 2");
        if (settings.Batch < 1 || settings.Repeat < 1 || settings.Warmup < 0 || settings.Threads < 1)
            throw new ArgumentOutOfRangeException(nameof(settings), "batch, repeat and threads must be positive and warmup non-negative");
        var entry = registry.Get(settings.Model);
        var options = settings.Options ?? (NeuralOperatorOptions)Activator.CreateInstance(entry.OptionsType)!;
        int previousThreads = get_num_threads();
        set_num_threads(settings.Threads);
        try
        {
            manual_seed(settings.Seed);
            using var model = registry.Create(settings.Model, options);
            using var input = rand(settings.Batch, options.InChannels, settings.Resolution, settings.Resolution);
            using var target = rand(settings.Batch, options.OutChannels, settings.Resolution, settings.Resolution);
            using var optimizer = optim.Adam(model.parameters(), lr: settings.LearningRate);
            var loss = new RelativeL2Loss(spatialDims: 2);

            model.train();
            void Step()
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                loss.Compute(model.call(input), target).backward();
                optimizer.step();
            }
            var train = Time(Step, settings.Warmup, settings.Repeat);

            model.eval();
            void Infer()
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                model.call(input);
            }
            var infer = Time(Infer, settings.Warmup, settings.Repeat);

            return new TrainingStepBenchmarkResult(
                entry.Name, options.ToJson(), settings.Resolution, settings.Batch, settings.Threads,
                model.ParameterCount(), Median(train), Median(infer), train, infer);
        }
        finally
        {
            set_num_threads(previousThreads);
        }
    }

    private static double[] Time(Action action, int warmup, int repeat)
    {
        for (int i = 0; i < warmup; i++) action();
        var samples = new double[repeat];
        for (int i = 0; i < repeat; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        return samples;
    }

    private static double Median(IReadOnlyList<double> samples)
    {
        var sorted = samples.OrderBy(s => s).ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
