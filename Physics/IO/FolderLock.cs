using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PdeOps.Physics.IO;

/// <summary>
/// An exclusive lock on a folder held by one run at a time (an advisory <c>flock</c> on the
/// folder's own handle, so no file is added to it). The system drops it when the process ends,
/// however it ends, so a killed run never leaves a folder locked. Only Linux with glibc takes the
/// lock, and only on file systems that support it: elsewhere, and on a cluster file system mounted
/// without locks, <see cref="TryAcquire"/> succeeds and guards nothing rather than stop the run.
/// </summary>
public sealed class FolderLock : IDisposable
{
    const int ReadOnlyCloseOnExec = 0x80000, LockExclusiveNoWait = 2 | 4, WouldBlock = 11, NoSuchFile = 2;
    readonly SafeFileHandle? _handle;

    FolderLock(SafeFileHandle? handle) => _handle = handle;

    /// <summary>
    /// Locks <paramref name="folder"/>, which must exist; null when another holder has it, in this
    /// process or another.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static FolderLock? TryAcquire(string folder)
    {
        if (!OperatingSystem.IsLinux()) return new FolderLock(null);
        int fd;
        try { fd = open(Path.GetFullPath(folder), ReadOnlyCloseOnExec); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return new FolderLock(null); }
        if (fd < 0)
        {
            int error = Marshal.GetLastPInvokeError();
            if (error == NoSuchFile) throw new DirectoryNotFoundException($"cannot lock the folder {folder}: it does not exist");
            return new FolderLock(null); // unreadable folder: the run's own writes will say what is wrong
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (flock(fd, LockExclusiveNoWait) == 0) return new FolderLock(handle);
        int errno = Marshal.GetLastPInvokeError();
        handle.Dispose();
        // Held by another: refuse. Locks unsupported here (ENOLCK, EOPNOTSUPP on some network and cluster mounts): go on unguarded.
        return errno == WouldBlock ? null : new FolderLock(null);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _handle?.Dispose();

    [DllImport("libc.so.6", ExactSpelling = true, SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    static extern int open(string path, int flags);

    [DllImport("libc.so.6", ExactSpelling = true, SetLastError = true)]
    static extern int flock(int fd, int operation);
}
