using static TorchSharp.torch;

namespace PdeOps.Operators.Models;

/// <summary>
/// Positional embedding of a uniform grid: one channel per spatial axis holding that axis'
/// coordinate, linspace(0, 1, n) (endpoints included), appended after the field channels as in the
/// FNO reference implementation (Li et al., ICLR 2021). For a (batch, c, H, W) field the appended
/// channels are the H coordinate (constant along W) and then the W coordinate.
/// </summary>
public static class GridEmbedding
{
    /// <summary>Returns (batch, c + d, n1, ..., nd): the field followed by its coordinates.</summary>
    public static Tensor Append(Tensor field)
    {
        using var scope = NewDisposeScope();
        long[] shape = field.shape;
        int d = shape.Length - 2;
        var parts = new List<Tensor> { field };
        for (int a = 0; a < d; a++)
        {
            var view = Enumerable.Repeat(1L, shape.Length).ToArray();
            view[2 + a] = shape[2 + a];
            var coordinate = linspace(0, 1, shape[2 + a], dtype: field.dtype, device: field.device).view(view);
            var target = (long[])shape.Clone();
            target[1] = 1;
            parts.Add(coordinate.expand(target));
        }
        return cat(parts, 1).MoveToOuterDisposeScope();
    }
}
