using System.Reflection;

namespace PdeOps.Cli.Infrastructure;

/// <summary>
/// Turns an exception that reached the top of a command into the one line <c>pdeops</c> prints.
/// Wrappers that hide the cause (reflection's target-invocation, single-item aggregates, writers
/// that report "in error state") are looked through, and a full disk is always named as such
/// with the file being written, whichever library met it.
/// </summary>
public static class FailureMessage
{
    /// <summary>errno ENOSPC on Linux and macOS.</summary>
    const int NoSpaceErrno = 28;
    /// <summary>ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL as HRESULTs on Windows.</summary>
    const int DiskFullHResult = unchecked((int)0x80070070), HandleDiskFullHResult = unchecked((int)0x80070027);

    /// <summary>The innermost exception that names the failure (wrappers removed).</summary>
    public static Exception Cause(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case TargetInvocationException { InnerException: { } inner }: e = inner; continue;
                case AggregateException agg when agg.InnerExceptions.Count == 1: e = agg.InnerExceptions[0]; continue;
                case TypeInitializationException { InnerException: { } inner }: e = inner; continue;
            }
            return e;
        }
    }

    /// <summary>The exception in <paramref name="e"/>'s chain that reports a full disk, if any.</summary>
    public static IOException? DiskFull(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is AggregateException agg)
                foreach (var inner in agg.InnerExceptions)
                    if (DiskFull(inner) is { } found) return found;
            if (x is IOException io && IsDiskFull(io)) return io;
        }
        return null;
    }

    /// <summary>True when <paramref name="e"/> reports that the device has no space left.</summary>
    public static bool IsDiskFull(IOException e) =>
        e.HResult is NoSpaceErrno or DiskFullHResult or HandleDiskFullHResult
        || e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("not enough space on the disk", StringComparison.OrdinalIgnoreCase);

    /// <summary>The one line (without the "pdeops: error: " prefix) for <paramref name="e"/>.</summary>
    public static string Describe(Exception e)
    {
        if (DiskFull(e) is { } full)
            return full is PdeOps.Datasets.Storage.DiskFullException named ? OneLine(named.Message) : $"no space left on device writing {FinalName(FileNamed(full.Message)) ?? "the output"}";
        var cause = Cause(e);
        // ArgumentException appends " (Parameter 'name')", which names a C# parameter, not an option.
        string message = cause is ArgumentException { ParamName: { } p } ? cause.Message.Replace($" (Parameter '{p}')", "") : cause.Message;
        if (cause is OutOfMemoryException or InsufficientExecutionStackException)
            message = $"out of memory ({cause.Message}); use a smaller size or fewer samples at once";
        else if (cause is NullReferenceException or IndexOutOfRangeException or InvalidCastException)
            message = $"internal error ({cause.GetType().Name}: {cause.Message}); rerun with --verbose and report it";
        return OneLine(message);
    }

    /// <summary>The final name of a file written as <c>FILE.partial</c> (the name the user gave).</summary>
    static string? FinalName(string? path)
    {
        while (path is not null && path.EndsWith(".partial", StringComparison.Ordinal)) path = path[..^".partial".Length];
        return path;
    }

    /// <summary>The file a .NET I/O message names ("... : '/path'"), if any.</summary>
    static string? FileNamed(string message)
    {
        int end = message.LastIndexOf('\'');
        int start = end > 0 ? message.LastIndexOf('\'', end - 1) : -1;
        return start >= 0 && end > start + 1 ? message[(start + 1)..end] : null;
    }

    /// <summary>Joins the lines of <paramref name="message"/> into one.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
