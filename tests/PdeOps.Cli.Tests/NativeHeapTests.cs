using System.Collections;
using PdeOps.Operators.Runtime;

namespace PdeOps.Cli.Tests;

/// <summary>pdeops keeps large native blocks in glibc's heap unless the environment chooses otherwise.</summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void GlibcTakesTheSettingsWhenTheEnvironmentLeavesThemOpen()
    {
        // Linux hosts here run glibc; elsewhere nothing is applied.
        Assert.Equal(OperatingSystem.IsLinux(), NativeHeap.Apply(new Hashtable { ["PATH"] = "/usr/bin" }));
    }

    [Theory]
    [InlineData("MALLOC_MMAP_THRESHOLD_")]
    [InlineData("MALLOC_TRIM_THRESHOLD_")]
    [InlineData("GLIBC_TUNABLES")]
    public void TheUsersOwnAllocatorSettingsWin(string variable)
    {
        var environment = new Hashtable { [variable] = "" };
        Assert.True(NativeHeap.Chosen(environment));
        Assert.False(NativeHeap.Apply(environment));
    }
}
