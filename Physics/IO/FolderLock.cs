using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PdeOps.Physics.IO;

/// <summary>
/// An exclusive lock on a folder held by one run at a time (an advisory <c>flock</c> on the
/// folder's own handle, so no file is added to it). The system drops it when the process ends,
/// however it ends, so a killed run never leaves a folder locked. Only Linux with glibc takes the
/// lock; elsewhere <see cref="TryAcquire"/> always succeeds and guards nothing.
/// </summary>
public sealed class FolderLock : IDisposable
{
    const int ReadOnlyCloseOnExec = 0x80000, LockExclusiveNoWait = 2 | 4, WouldBlock = 11;
    readonly SafeFileHandle? _handle;

    FolderLock(SafeFileHandle? handle) => _handle = handle;

    /// <summary>
    /// Locks <paramref name="folder"/>, which must exist; null when another holder has it, in this
    /// process or another.
    /// </summary>
    /// <exception cref="IOException">The folder cannot be opened.</exception>
    public static FolderLock? TryAcquire(string folder)
    {
        if (!OperatingSystem.IsLinux()) return new FolderLock(null);
        int fd;
        try { fd = open(Path.GetFullPath(folder), ReadOnlyCloseOnExec); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return new FolderLock(null); }
        if (fd < 0) throw new IOException($"cannot open the folder {folder} to lock it (errno {Marshal.GetLastPInvokeError()})");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (flock(fd, LockExclusiveNoWait) == 0) return new FolderLock(handle);
        int errno = Marshal.GetLastPInvokeError();
        handle.Dispose();
        if (errno == WouldBlock) return null;
        throw new IOException($"cannot lock the folder {folder} (errno {errno})");
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _handle?.Dispose();

    [DllImport("libc.so.6", ExactSpelling = true, SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    static extern int open(string path, int flags);

    [DllImport("libc.so.6", ExactSpelling = true, SetLastError = true)]
    static extern int flock(int fd, int operation);
}
