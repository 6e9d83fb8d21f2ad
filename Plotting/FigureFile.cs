using PdeOps.Physics.IO;

namespace PdeOps.Plotting;

/// <summary>Chooses a figure format from a file extension and writes files atomically.</summary>
/// <remarks>
/// Figures are rendered into memory first and only then copied to disk. SkiaSharp writes PNG
/// data through a managed callback called from native code; an exception thrown there (a full
/// disk, a removed folder) cannot unwind through the native frames and aborts the process. A
/// <see cref="MemoryStream"/> never fails that way, so every file-system error is met by managed
/// code here, where the partial file is removed and the exception reaches the caller.
/// </remarks>
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

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> through <c>FILE.partial</c> and a rename (<see cref="AtomicFile"/>).</summary>
    public static void WriteBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        AtomicFile.Write(path, partial =>
        {
            // No buffer: a full disk surfaces in Write, not later in Dispose.
            using var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
            stream.Write(copy);
            stream.Flush(flushToDisk: true);
        });
    }
}
