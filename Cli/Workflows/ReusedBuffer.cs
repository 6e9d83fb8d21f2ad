namespace PdeOps.Cli.Workflows;

/// <summary>Buffers kept from pass to pass: a pass's fields would otherwise land on the large-object heap, collected only in full collections.</summary>
internal static class ReusedBuffer
{
    /// <summary><paramref name="buffer"/>, replaced by a larger one first when it holds fewer than <paramref name="length"/> values.</summary>
    public static float[] AtLeast(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new float[length];
        return buffer;
    }
}
