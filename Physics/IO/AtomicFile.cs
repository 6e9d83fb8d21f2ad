namespace PdeOps.Physics.IO;

/// <summary>
/// Writes a file under a temporary name (<c>FILE.partial</c>) and renames it when complete, so a
/// crash never leaves a file under its final name that looks finished but is not. A failed write
/// removes the temporary file; a full disk is reported as a <see cref="DiskFullException"/> naming
/// the final path. A device or a pipe (<c>/dev/null</c>, a FIFO) is written in place of a rename:
/// the finished temporary file, kept in the temporary folder, is copied into it, so the device stays.
/// </summary>
/// <remarks>
/// A write of several files (<see cref="WriteAll"/>) stages each one; a writer called inside it that
/// writes atomically in its turn (an HDF5 builder, a figure) writes the staged file in place rather
/// than staging it again, so no <c>FILE.partial.partial</c> is made, and errors name the staged file.
/// </remarks>
public static class AtomicFile
{
    // The temporary files that enclosing WriteAll calls on this flow of execution are writing.
    static readonly AsyncLocal<HashSet<string>?> Staged = new();

    /// <summary>
    /// The temporary name used while <paramref name="path"/> is being written: <c>PATH.partial</c>,
    /// or, for a device or a pipe, a name in the temporary folder derived from its full path and
    /// this process (two programs writing to /dev/null at once must not share it).
    /// </summary>
    public static string PartialPath(string path) =>
        SpecialFiles.IsDeviceOrPipe(path)
            ? Path.Combine(Path.GetTempPath(), $"pdeops-{Environment.ProcessId}-{Path.GetFullPath(path).Replace(Path.DirectorySeparatorChar, '_').TrimStart('_')}.partial")
            : path + ".partial";

    /// <summary>
    /// Why <see cref="Write"/> could not write <paramref name="path"/>, or null when it can: a part of
    /// the path that is a file rather than a folder, or a nearest existing folder in which no file can
    /// be created (read-only, no permission, <c>/proc</c>). Found by creating and removing an empty
    /// probe file there, so that a command can refuse the path before its work; a device or a pipe is
    /// written in place and not probed.
    /// </summary>
    public static string? WhyNotWritable(string path)
    {
        string full = Path.GetFullPath(path);
        if (SpecialFiles.IsDeviceOrPipe(full)) return null;
        string? folder = Path.GetDirectoryName(full);
        while (folder is not null && !Directory.Exists(folder))
        {
            if (File.Exists(folder)) return $"{folder} is a file, not a folder";
            folder = Path.GetDirectoryName(folder);
        }
        if (folder is null) return null;
        try
        {
            using var probe = new FileStream(Path.Combine(folder, $".pdeops-probe-{Environment.ProcessId}-{Guid.NewGuid():N}"),
                FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return $"no permission to create files in {folder}";
        }
        catch (IOException)
        {
            return $"files cannot be created in {folder}";
        }
    }

    /// <summary>
    /// Puts the finished temporary file <paramref name="partial"/> in place as <paramref name="path"/>:
    /// a rename that replaces any file there, or, where <paramref name="path"/> is a device or a
    /// pipe, a copy of its bytes into it (a rename would replace the device by a regular file).
    /// </summary>
    public static void Commit(string partial, string path)
    {
        if (!SpecialFiles.IsDeviceOrPipe(path))
        {
            File.Move(partial, path, overwrite: true);
            return;
        }
        using (var source = new FileStream(partial, FileMode.Open, FileAccess.Read))
        using (var target = new FileStream(path, FileMode.Open, FileAccess.Write))
            source.CopyTo(target);
        File.Delete(partial);
    }

    /// <summary>
    /// Calls <paramref name="write"/> with the temporary path, then renames it to <paramref name="path"/>.
    /// A <paramref name="path"/> that an enclosing <see cref="WriteAll"/> is staging is written in place:
    /// that call renames it.
    /// </summary>
    /// <exception cref="DiskFullException">The device ran out of space.</exception>
    public static void Write(string path, Action<string> write)
    {
        string full = Path.GetFullPath(path);
        if (Staged.Value?.Contains(full) == true) write(full);
        else WriteAll([path], partials => write(partials[0]));
    }

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
        var enclosing = Staged.Value;
        try
        {
            Staged.Value = [.. enclosing ?? [], .. partials];
            try { write(partials); }
            finally { Staged.Value = enclosing; }
            for (int i = 0; i < full.Count; i++) Commit(partials[i], full[i]);
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
