namespace PdeOps.Operators.Runtime;

/// <summary>
/// The process's resident memory as Linux reports it (/proc/self/status), which counts libtorch's
/// native allocations as well as managed ones: the current size, the peak, and a reset of the peak
/// so that one piece of work can be measured (elsewhere every reading is -1); and the memory a
/// piece of work may plan to use.
/// </summary>
public static class ProcessMemory
{
    /// <summary>Kept back for the runtime, libtorch and the operating system.</summary>
    const long ReserveBytes = 512L << 20;

    /// <summary>
    /// Bytes the process may plan to allocate: the GC's view of available memory (physical memory,
    /// or the container's limit) less a reserve for the runtime and native libraries, at least 64 MiB.
    /// </summary>
    public static long AvailableBytes => Math.Max(64L << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - ReserveBytes);

    /// <summary>Resident bytes now (VmRSS), or -1 where not available.</summary>
    public static long ResidentBytes => Read("VmRSS:");

    /// <summary>Peak resident bytes since start or the last <see cref="ResetPeak"/> (VmHWM), or -1 where not available.</summary>
    public static long PeakResidentBytes => Read("VmHWM:");

    /// <summary>Resets the peak to the current size (writes 5 to /proc/self/clear_refs); false where not available.</summary>
    public static bool ResetPeak()
    {
        if (!OperatingSystem.IsLinux()) return false;
        GC.Collect();
        File.WriteAllText("/proc/self/clear_refs", "5");
        return true;
    }

    static long Read(string field) => !OperatingSystem.IsLinux() ? -1
        : File.ReadLines("/proc/self/status").Where(l => l.StartsWith(field, StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024).Single();
}
