namespace PdeOps.Datasets.Storage;

/// <summary>
/// Writes a file under a temporary name (<c>FILE.partial</c>) and renames it when complete, so a
/// crash never leaves a file under its final name that looks finished but is not.
/// </summary>
public static class AtomicFile
{
    /// <summary>The temporary name used while <paramref name="path"/> is being written.</summary>
    public static string PartialPath(string path) => path + ".partial";

    /// <summary>Calls <paramref name="write"/> with the temporary path, then renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        string partial = PartialPath(full);
        try
        {
            write(partial);
            File.Move(partial, full, overwrite: true);
        }
        catch
        {
            if (File.Exists(partial)) File.Delete(partial);
            throw;
        }
    }
}
