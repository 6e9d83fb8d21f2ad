using System.Text;
using PdeOps.Datasets.Storage;

namespace PdeOps.Datasets.Readers;

/// <summary>
/// Looks at the first bytes of a file: where the HDF5 superblock starts (offset 0 or a user block
/// of 512, 1024, ... bytes) and the text of the user block, which MATLAB v7.3 fills with
/// "MATLAB 7.3 MAT-file, ...".
/// </summary>
internal static class Hdf5Probe
{
    static ReadOnlySpan<byte> Signature => [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a];

    /// <summary>The superblock offset and, when there is a user block, its leading text.</summary>
    /// <exception cref="DataFileException">The file is missing, empty, or carries no HDF5 signature.</exception>
    public static (long Offset, string UserBlockText) Inspect(string path)
    {
        if (Directory.Exists(path)) throw new DataFileException(path, "is a directory, not a data file");
        if (!File.Exists(path)) throw new DataFileException(path, "file not found");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length < Signature.Length) throw new DataFileException(path, $"file is {stream.Length} bytes long: not an HDF5 file");
            Span<byte> head = stackalloc byte[8];
            for (long offset = 0; offset + head.Length <= stream.Length; offset = offset == 0 ? 512 : offset * 2)
            {
                stream.Position = offset;
                stream.ReadExactly(head);
                if (head.SequenceEqual(Signature)) return (offset, offset == 0 ? "" : UserBlockText(stream, offset));
            }
            string start = UserBlockText(stream, Math.Min(stream.Length, 128));
            if (start.StartsWith("MATLAB", StringComparison.Ordinal))
                throw new DataFileException(path, "is a MATLAB v5/v7 .mat file; only v7.3 (HDF5) .mat files are read: re-save it in MATLAB with save(file, '-v7.3')");
            throw new DataFileException(path, "not an HDF5 file (no HDF5 signature at offset 0 or after a user block)");
        }
        catch (IOException e)
        {
            throw new DataFileException(path, $"could not be read ({e.Message})", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataFileException(path, $"could not be opened ({e.Message})", e);
        }
    }

    static string UserBlockText(Stream stream, long length)
    {
        var bytes = new byte[Math.Min(length, 128)];
        stream.Position = 0;
        stream.ReadExactly(bytes);
        int end = Array.FindIndex(bytes, b => b == 0 || b > 0x7e);
        return Encoding.ASCII.GetString(bytes, 0, end < 0 ? bytes.Length : end).TrimEnd();
    }
}
