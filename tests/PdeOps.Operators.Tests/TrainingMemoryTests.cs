using PdeOps.Operators.Benchmarks;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests;

/// <summary>Training steps inside dispose scopes leave no tensors behind; the benchmark runs.</summary>
public class TrainingMemoryTests
{
    [Theory]
    [InlineData("fno")]
    [InlineData("mgno")]
    public void FiftyTrainingStepsDoNotGrowTheLiveTensorCount(string name)
    {
        NeuralOperatorOptions options = name == "fno"
            ? new FnoOptions { Width = 6, Modes = new[] { 4, 4 }, Layers = 2, ProjectionWidth = 8, Padding = 3 }
            : MgnoOptions.WithLevels(2) with { Width = 4, Layers = 2 };
        manual_seed(13);
        using var model = OperatorModelRegistry.Default.Create(name, options);
        using var a = rand(2, 1, 13, 13);
        using var u = rand(2, 1, 13, 13);
        using var adam = optim.Adam(model.parameters(), lr: 1e-3);
        var loss = new RelativeL2Loss();
        void Step()
        {
            using var scope = NewDisposeScope();
            adam.zero_grad();
            loss.Compute(model.call(a), u).backward();
            adam.step();
        }
        // The first steps create Adam's state, the gradients and cached transform matrices.
        for (int i = 0; i < 3; i++) Step();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 50; i++) Step();
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.True(after <= before, $"live tensors grew from {before} to {after}");
    }

    [Fact]
    public void BenchmarkReportsMediansAndTheParameterCount()
    {
        var options = new FnoOptions { Width = 4, Modes = new[] { 3, 3 }, Layers = 1, ProjectionWidth = 8, Padding = 2 };
        var result = new TrainingStepBenchmark().Run(new TrainingStepBenchmarkSettings
        {
            Model = "fno",
            Options = options,
            Resolution = 12,
            Batch = 2,
            Repeat = 3,
            Warmup = 1,
            Threads = 1,
        });
        Assert.True(result.TrainStepSeconds > 0 && result.InferBatchSeconds > 0);
        Assert.Equal(3, result.TrainStepSamples.Count);
        using var model = new FourierNeuralOperator(options);
        Assert.Equal(model.ParameterCount(), result.ParameterCount);
    }
}
