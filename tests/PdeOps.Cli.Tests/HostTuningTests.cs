using PdeOps.Operators.Runtime;

namespace PdeOps.Cli.Tests;

/// <summary>A program that embeds PdeOps.Operators gets pdeops' process settings with one call.</summary>
public sealed class HostTuningTests
{
    [Fact]
    public void ApplySaysWhichSettingsTookEffect()
    {
        var environment = Environment.GetEnvironmentVariables();
        var (heapKept, spinBounded) = HostTuning.Apply();
        Assert.Equal(OperatingSystem.IsLinux() && !NativeHeap.Chosen(environment), heapKept);
        Assert.Equal(OperatingSystem.IsLinux() && !OpenMpSpin.Chosen(environment), spinBounded);
        // Once per process: a second call reports the same.
        Assert.Equal((heapKept, spinBounded), HostTuning.Apply());
    }
}
