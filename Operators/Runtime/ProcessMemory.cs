namespace PdeOps.Operators.Runtime;

/// <summary>
/// The process's resident memory as Linux reports it (/proc/self/status), which counts libtorch's
/// native allocations as well as managed ones: the current size, the peak, and a reset of the peak
/// so that one piece of work can be measured. Elsewhere every reading is -1.
/// </summary>
public static class ProcessMemory
{
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
