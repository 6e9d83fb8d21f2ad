using System.Collections;
using System.Runtime.InteropServices;
using PdeOps.Operators.Runtime;

namespace PdeOps.Cli.Tests;

/// <summary>pdeops bounds libgomp's spinning unless the environment chooses the wait policy.</summary>
public sealed class OpenMpSpinTests
{
    [Fact]
    public void TheBoundReachesTheEnvironmentNativeCodeReads()
    {
        // Linux hosts here run glibc; elsewhere nothing is applied.
        Assert.Equal(OperatingSystem.IsLinux(), OpenMpSpin.Apply(new Hashtable { ["PATH"] = "/usr/bin" }));
        if (!OperatingSystem.IsLinux()) return;
        // setenv does not overwrite: a value the test host was started with stays.
        string expected = Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") ?? "20000";
        Assert.Equal(expected, Marshal.PtrToStringUTF8(getenv("GOMP_SPINCOUNT")));
    }

    [Theory]
    [InlineData("GOMP_SPINCOUNT")]
    [InlineData("OMP_WAIT_POLICY")]
    public void TheUsersOwnWaitPolicyWins(string variable)
    {
        var environment = new Hashtable { [variable] = "" };
        Assert.True(OpenMpSpin.Chosen(environment));
        Assert.False(OpenMpSpin.Apply(environment));
    }

    [DllImport("libc.so.6", ExactSpelling = true)]
    static extern IntPtr getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
