using System.Reflection;
using PdeOps.Physics.IO;

namespace PdeOps.Cli.Infrastructure;

/// <summary>
/// Turns an exception that reached the top of a command into the one line <c>pdeops</c> prints.
/// Wrappers that hide the cause (reflection's target-invocation, single-item aggregates, writers
/// that report "in error state") are looked through, and a full disk is always named as such
/// with the file being written, whichever library met it.
/// </summary>
public static class FailureMessage
{
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
    public static IOException? DiskFull(Exception e) => DiskFullException.Find(e);

    /// <summary>The one line (without the "pdeops: error: " prefix) for <paramref name="e"/>.</summary>
    public static string Describe(Exception e)
    {
        if (DiskFull(e) is { } full)
            return full is DiskFullException named ? OneLine(named.Message.Replace(named.FilePath, FinalName(named.FilePath))) : $"no space left on device writing {FinalName(FileNamed(full.Message)) ?? "the output"}";
        var cause = Cause(e);
        string message = cause is ArgumentException argument ? WithoutParameter(argument) : cause.Message;
        if (cause is OutOfMemoryException or InsufficientExecutionStackException)
            message = $"out of memory ({cause.Message}); use a smaller size or fewer samples at once";
        else if (cause is NullReferenceException or IndexOutOfRangeException or InvalidCastException)
            message = $"internal error ({cause.GetType().Name}: {cause.Message}); rerun with --verbose and report it";
        return OneLine(message);
    }

    /// <summary>
    /// The message of <paramref name="e"/> without the " (Parameter 'name')" that ArgumentException
    /// appends: it names a C# parameter, not an option.
    /// </summary>
    public static string WithoutParameter(ArgumentException e) =>
        e.ParamName is { } p ? e.Message.Replace($" (Parameter '{p}')", "") : e.Message;

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
