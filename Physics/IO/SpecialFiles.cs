using System.Runtime.InteropServices;

namespace PdeOps.Physics.IO;

/// <summary>
/// Tells device files and pipes (<c>/dev/null</c>, <c>/dev/full</c>, a FIFO) from regular files.
/// .NET reports both as plain files, and renaming a finished file over a device replaces the
/// device by a regular file, so <see cref="AtomicFile"/> must know which it is writing to.
/// </summary>
internal static class SpecialFiles
{
    const int AtCurrentDirectory = -100, StatxType = 0x1, TypeBits = 0xF000, RegularFileType = 0x8000, DirectoryType = 0x4000;
    /// <summary>Offset of <c>stx_mode</c> in <c>struct statx</c>: the same on every Linux architecture.</summary>
    const int ModeOffset = 28;

    /// <summary>
    /// True when <paramref name="path"/> (symbolic links followed) exists and is neither a regular
    /// file nor a directory, or exists under /dev (outside /dev/shm) or /proc: /dev/stdout is a
    /// link into /proc, and a rename would replace the link itself even when output is redirected
    /// to a regular file. False where it does not exist, and off Linux, where the check is not made.
    /// </summary>
    public static bool IsDeviceOrPipe(string path)
    {
        if (!OperatingSystem.IsLinux()) return false;
        string full = Path.GetFullPath(path);
        bool system = (full.StartsWith("/dev/", StringComparison.Ordinal) && !full.StartsWith("/dev/shm/", StringComparison.Ordinal))
            || full.StartsWith("/proc/", StringComparison.Ordinal);
        var buffer = new byte[256];
        try
        {
            if (statx(AtCurrentDirectory, full, 0, StatxType, buffer) != 0) return false; // absent or unreadable: nothing to protect
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc 2.28 or later: regular behaviour
        }
        int type = BitConverter.ToUInt16(buffer, ModeOffset) & TypeBits;
        return system || type is not (RegularFileType or DirectoryType);
    }

    [DllImport("libc.so.6", ExactSpelling = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    static extern int statx(int directory, string path, int flags, uint mask, byte[] result);
}
