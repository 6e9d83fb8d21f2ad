using PdeOps.Cli.Workflows;

namespace PdeOps.Cli.Tests;

/// <summary>How many lanes certified prediction runs: one per thread, fewer where the copies would not fit.</summary>
public sealed class CertifiedPipelineTests
{
    [Theory]
    [InlineData(2, 1e7, 16e9, 2)]      // an 85^2 FNO's lane is megabytes: one per thread
    [InlineData(8, 1e9, 8e9, 2)]       // a quarter of 8 GB holds two lanes of 1 GB
    [InlineData(8, 3e9, 8e9, 1)]       // not even one fits: the operator as given, on all threads
    [InlineData(1, 1e3, 16e9, 1)]
    public void LanesAreOnePerThreadWithinAQuarterOfTheFreeMemory(int threads, double bytesPerLane, double available, int lanes) =>
        Assert.Equal(lanes, CertifiedPipeline.LaneCount(threads, bytesPerLane, (long)available));
}
