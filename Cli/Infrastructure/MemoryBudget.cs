namespace PdeOps.Cli.Infrastructure;

/// <summary>
/// Checks a command's memory estimate against what this process may use before it allocates, so
/// that an absurd size is refused with one line naming the option instead of exhausting the
/// machine. The limit is the GC's view of available memory (physical memory, or the container's
/// limit), less a reserve for the runtime and native libraries (<see cref="PdeOps.Operators.Runtime.ProcessMemory.AvailableBytes"/>).
/// </summary>
public static class MemoryBudget
{
    /// <summary>Bytes a command may plan to allocate (<see cref="PdeOps.Operators.Runtime.ProcessMemory.AvailableBytes"/>).</summary>
    public static long AvailableBytes => PdeOps.Operators.Runtime.ProcessMemory.AvailableBytes;

    /// <summary>
    /// Throws a <see cref="UsageException"/> when <paramref name="bytes"/> exceeds <see cref="AvailableBytes"/>.
    /// </summary>
    /// <param name="bytes">The estimate; <see cref="double"/> so that products of large sizes cannot overflow.</param>
    /// <param name="what">The request in the user's words, e.g. "--n 46000".</param>
    public static void Require(double bytes, string what)
    {
        if (!(bytes <= AvailableBytes))
            throw new UsageException($"{what} needs about {Describe(bytes)} of memory, more than the {Describe(AvailableBytes)} this machine has available; choose a smaller size");
    }

    /// <summary>A byte count in the largest unit that keeps it above 1.</summary>
    public static string Describe(double bytes) => bytes switch
    {
        >= 1e15 => $"{bytes / (1L << 50):G3} PiB",
        >= 1L << 40 => $"{bytes / (1L << 40):F1} TiB",
        >= 1L << 30 => $"{bytes / (1L << 30):F1} GiB",
        >= 1L << 20 => $"{bytes / (1L << 20):F0} MiB",
        _ => $"{bytes / 1024:F0} KiB",
    };
}
