namespace PdeOps.Datasets.Storage;

/// <summary>Extracts single 2D fields from stored arrays.</summary>
public static class FieldSlices
{
    /// <summary>
    /// Reads dataset <paramref name="name"/> of shape (H, W), or sample <paramref name="index"/>
    /// of a stack (N, H, W), as a [y, x] array.
    /// </summary>
    /// <exception cref="DataFileException">The dataset is not 2D or 3D, or the index is out of range.</exception>
    public static double[,] Read2D(FieldFileReader reader, string name, int index = 0)
    {
        var (values, dims) = reader.ReadFlatDouble(name);
        if (dims.Length != 2 && dims.Length != 3)
            throw new DataFileException(reader.Path, $"dataset '{name}' has shape ({string.Join(", ", dims)}); expected (H, W) or (N, H, W)");
        int h = (int)dims[^2], w = (int)dims[^1], count = dims.Length == 3 ? (int)dims[0] : 1;
        if (index < 0 || index >= count)
            throw new DataFileException(reader.Path, $"sample index {index} is outside 0..{count - 1} of dataset '{name}'");
        var field = new double[h, w];
        long offset = (long)index * h * w;
        for (int j = 0; j < h; j++)
            for (int i = 0; i < w; i++) field[j, i] = values[offset + (long)j * w + i];
        return field;
    }
}
