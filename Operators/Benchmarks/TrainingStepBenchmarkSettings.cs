using PdeOps.Operators.Models;

namespace PdeOps.Operators.Benchmarks;

/// <summary>What <see cref="TrainingStepBenchmark"/> measures: which model, on which grid and batch, how often.</summary>
public sealed record TrainingStepBenchmarkSettings
{
    /// <summary>Registry name of the model ("fno", "mgno").</summary>
    public string Model { get; init; } = FourierNeuralOperator.RegistryName;

    /// <summary>Options of the model; null means the options type's defaults.</summary>
    public NeuralOperatorOptions? Options { get; init; }

    /// <summary>Points per axis of the square grid.</summary>
    public int Resolution { get; init; } = 64;

    /// <summary>Samples per batch.</summary>
    public int Batch { get; init; } = 20;

    /// <summary>Timed training steps and timed inference batches.</summary>
    public int Repeat { get; init; } = 10;

    /// <summary>Untimed steps before timing (allocator and plan warm-up).</summary>
    public int Warmup { get; init; } = 3;

    /// <summary>libtorch intra-op threads during the run.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Seed of the weights and the random data.</summary>
    public long Seed { get; init; }

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;
}
