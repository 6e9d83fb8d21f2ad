namespace PdeOps.Operators.Benchmarks;

/// <summary>Medians and raw samples of a <see cref="TrainingStepBenchmark"/> run, in seconds.</summary>
/// <param name="Model">Registry name of the model.</param>
/// <param name="OptionsJson">The model's options as JSON.</param>
/// <param name="Resolution">Points per axis of the square grid.</param>
/// <param name="Batch">Samples per batch.</param>
/// <param name="Threads">libtorch intra-op threads.</param>
/// <param name="ParameterCount">Real trainable numbers of the model.</param>
/// <param name="TrainStepSeconds">Median time of forward, relative L2 loss, backward and Adam step.</param>
/// <param name="InferBatchSeconds">Median time of a forward pass without gradients.</param>
/// <param name="TrainStepSamples">Every timed training step.</param>
/// <param name="InferBatchSamples">Every timed inference batch.</param>
public sealed record TrainingStepBenchmarkResult(
    string Model,
    string OptionsJson,
    int Resolution,
    int Batch,
    int Threads,
    long ParameterCount,
    double TrainStepSeconds,
    double InferBatchSeconds,
    IReadOnlyList<double> TrainStepSamples,
    IReadOnlyList<double> InferBatchSamples);
