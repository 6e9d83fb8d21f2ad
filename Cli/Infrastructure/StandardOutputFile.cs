namespace PdeOps.Cli.Infrastructure;

/// <summary>
/// Recognises an output path that is this process's standard output (<c>--out /dev/stdout</c>, to
/// pipe a file into another program): the command's file goes there, so its report must not.
/// </summary>
internal static class StandardOutputFile
{
    /// <summary>True when <paramref name="path"/> names file descriptor 1 of this process.</summary>
    public static bool IsNamedBy(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() || string.IsNullOrWhiteSpace(path)) return false;
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return false; }
        return full is "/dev/stdout" or "/dev/fd/1" or "/proc/self/fd/1" || full == $"/proc/{Environment.ProcessId}/fd/1";
    }
}
