namespace PdeOps.Physics.IO;

/// <summary>
/// Writes a file under a temporary name (<c>FILE.partial</c>) and renames it when complete, so a
/// crash never leaves a file under its final name that looks finished but is not. A failed write
/// removes the temporary file; a full disk is reported as a <see cref="DiskFullException"/> naming
/// the final path.
/// </summary>
public static class AtomicFile
{
    /// <summary>The temporary name used while <paramref name="path"/> is being written.</summary>
    public static string PartialPath(string path) => path + ".partial";

    /// <summary>Calls <paramref name="write"/> with the temporary path, then renames it to <paramref name="path"/>.</summary>
    /// <exception cref="DiskFullException">The device ran out of space.</exception>
    public static void Write(string path, Action<string> write) => WriteAll([path], partials => write(partials[0]));

    /// <summary>
    /// Calls <paramref name="write"/> with the temporary paths of all <paramref name="paths"/> and
    /// renames them once every one is written: either all outputs appear or none does.
    /// </summary>
    /// <exception cref="DiskFullException">The device ran out of space.</exception>
    public static void WriteAll(IReadOnlyList<string> paths, Action<IReadOnlyList<string>> write)
    {
        var full = paths.Select(Path.GetFullPath).ToList();
        foreach (var f in full)
        {
            string? dir = Path.GetDirectoryName(f);
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        }
        var partials = full.Select(PartialPath).ToList();
        try
        {
            write(partials);
            for (int i = 0; i < full.Count; i++) File.Move(partials[i], full[i], overwrite: true);
        }
        catch (Exception e)
        {
            // The file being written when the disk filled: the one the error names, else the last one started.
            var noSpace = e is DiskFullException ? null : DiskFullException.Find(e);
            int failed = noSpace is null ? -1 : partials.FindLastIndex(p => noSpace.Message.Contains(p, StringComparison.Ordinal));
            if (failed < 0) failed = partials.FindLastIndex(File.Exists);
            foreach (var partial in partials)
                try { if (File.Exists(partial)) File.Delete(partial); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            if (noSpace is not null) throw new DiskFullException(full[Math.Max(0, failed)], null, e);
            throw;
        }
    }
}
