namespace PdeOps.Physics.IO;

/// <summary>
/// Thrown when the device holding <see cref="FilePath"/> ran out of space while it was written.
/// The message names the file the user asked for (not a temporary name) and what was kept, e.g.
/// "no space left on device writing out.h5; 3 completed chunks are kept in out.h5.partial/, free
/// space and rerun with --resume"; the operating system's error stays as the inner exception.
/// </summary>
public sealed class DiskFullException : IOException
{
    /// <summary>errno ENOSPC on Linux and macOS.</summary>
    const int NoSpaceErrno = 28;
    /// <summary>ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL as HRESULTs on Windows.</summary>
    const int DiskFullHResult = unchecked((int)0x80070070), HandleDiskFullHResult = unchecked((int)0x80070027);

    /// <summary>Creates the exception for <paramref name="path"/>; <paramref name="advice"/> (may be null) is appended after "; ".</summary>
    public DiskFullException(string path, string? advice, Exception inner)
        : base($"no space left on device writing {path}{(string.IsNullOrEmpty(advice) ? "" : "; " + advice)}", inner)
    {
        FilePath = path;
        HResult = NoSpaceErrno;
    }

    /// <summary>The file being written.</summary>
    public string FilePath { get; }

    /// <summary>True when <paramref name="e"/> reports that the device has no space left.</summary>
    public static bool IsDiskFull(IOException e) =>
        e.HResult is NoSpaceErrno or DiskFullHResult or HandleDiskFullHResult
        || e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("not enough space on the disk", StringComparison.OrdinalIgnoreCase);

    /// <summary>The exception in <paramref name="e"/>'s chain (inner and aggregated exceptions) that reports a full disk, or null.</summary>
    public static IOException? Find(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions)
                    if (Find(inner) is { } found) return found;
            if (x is IOException io && IsDiskFull(io)) return io;
        }
        return null;
    }
}
