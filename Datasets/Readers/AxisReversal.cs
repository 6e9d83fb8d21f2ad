namespace PdeOps.Datasets.Readers;

/// <summary>
/// Reverses all axes of a row-major array: element [i0, ..., ik] of the source becomes element
/// [ik, ..., i0] of the result. This turns a MATLAB array read through HDF5 (which shows the
/// column-major array with its dimensions reversed) back into MATLAB's own index order, as
/// <c>np.transpose(x, axes=range(x.ndim - 1, -1, -1))</c> in FNO's <c>MatReader</c> does.
/// </summary>
internal static class AxisReversal
{
    public static T[] Reverse<T>(T[] source, IReadOnlyList<ulong> dims)
    {
        int rank = dims.Count;
        if (rank <= 1) return source;
        var result = new T[source.Length];
        // The result's stride for source axis a is the product of source dimensions before a.
        var strides = new long[rank];
        long s = 1;
        for (int a = 0; a < rank; a++) { strides[a] = s; s *= (long)dims[a]; }

        var index = new long[rank];
        long inner = (long)dims[rank - 1], innerStride = strides[rank - 1];
        long offset = 0;
        for (long k = 0; k < source.Length; k += inner)
        {
            long o = offset;
            for (long i = 0; i < inner; i++, o += innerStride) result[o] = source[k + i];
            for (int a = rank - 2; a >= 0; a--)
            {
                offset += strides[a];
                if (++index[a] < (long)dims[a]) break;
                offset -= strides[a] * index[a];
                index[a] = 0;
            }
        }
        return result;
    }
}
