namespace PdeOps.Plotting;

/// <summary>Chooses a figure format from a file extension and writes files atomically.</summary>
internal static class FigureFile
{
    /// <summary>The image formats figures are written in.</summary>
    internal enum Format
    {
        /// <summary>Raster image rendered with SkiaSharp.</summary>
        Png,

        /// <summary>Vector image.</summary>
        Svg,
    }

    /// <summary>The format named by the extension of <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The extension is neither .png nor .svg.</exception>
    public static Format FormatOf(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => Format.Png,
            ".svg" => Format.Svg,
            _ => throw new ArgumentException($"{path}: figures are written as .png or .svg", nameof(path)),
        };
    }

    /// <summary>
    /// Writes through <paramref name="write"/> into a temporary file beside <paramref name="path"/>
    /// and moves it to its final name only when complete; a failed write leaves no file behind.
    /// </summary>
    public static void WriteAtomically(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string partial = full + ".partial";
        try
        {
            using (var stream = File.Create(partial)) write(stream);
            File.Move(partial, full, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }
}
