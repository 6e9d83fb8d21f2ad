namespace PdeOps.Datasets.Storage;

/// <summary>Extracts single 2D fields from stored arrays.</summary>
public static class FieldSlices
{
    /// <summary>
    /// Reads dataset <paramref name="name"/> of shape (H, W), or sample <paramref name="index"/>
    /// of a stack (N, H, W), as a [y, x] array. From a stack only the one sample is read.
    /// </summary>
    /// <exception cref="DataFileException">The dataset is not 2D or 3D, or the index is out of range.</exception>
    public static double[,] Read2D(FieldFileReader reader, string name, int index = 0)
    {
        var dims = reader.Dimensions(name);
        if (dims.Length != 2 && dims.Length != 3)
            throw new DataFileException(reader.Path, $"dataset '{name}' has shape ({string.Join(", ", dims)}); expected (H, W) or (N, H, W)");
        int h = (int)dims[^2], w = (int)dims[^1], count = dims.Length == 3 ? (int)dims[0] : 1;
        if (index < 0 || index >= count)
            throw new DataFileException(reader.Path, $"sample index {index} is outside 0..{count - 1} of dataset '{name}'");
        var field = new double[h, w];
        if (dims.Length == 2)
        {
            var (values, _) = reader.ReadFlatDouble(name);
            for (int j = 0; j < h; j++)
                for (int i = 0; i < w; i++) field[j, i] = values[(long)j * w + i];
            return field;
        }
        switch (reader.ReadSamples(name, index, 1))
        {
            case double[] d:
                for (int j = 0; j < h; j++)
                    for (int i = 0; i < w; i++) field[j, i] = d[(long)j * w + i];
                break;
            case float[] f:
                for (int j = 0; j < h; j++)
                    for (int i = 0; i < w; i++) field[j, i] = f[(long)j * w + i];
                break;
        }
        return field;
    }
}
