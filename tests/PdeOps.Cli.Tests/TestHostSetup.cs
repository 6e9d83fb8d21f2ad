using System.Runtime.CompilerServices;
using PdeOps.Operators.Runtime;

namespace PdeOps.Cli.Tests;

/// <summary>What <c>pdeops</c> does first in Main, done once as the test assembly loads.</summary>
internal static class TestHostSetup
{
    // glibc's setenv is not safe beside another thread's getenv: set the OpenMP bound before any test
    // thread starts, instead of at the first in-process Program.Main while other tests run native code.
#pragma warning disable CA2255 // a test assembly is the host here, not a library
    [ModuleInitializer]
    internal static void BoundOpenMpSpin() => OpenMpSpin.Bound();
#pragma warning restore CA2255
}
