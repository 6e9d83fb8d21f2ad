using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// Stores 4D channels-first tensors (batch, channels, H, W) with channels as the fastest axis,
/// keeping their channels-first shape. libtorch's CPU convolutions (oneDNN) run their stride-2
/// and transposed kernels two to three times faster on this layout, and element-wise results
/// inherit it, so a model that converts its input once stays in it.
/// </summary>
internal static class ChannelsLastMemory
{
    /// <summary>The tensor itself when already stored channels-last (no copy), otherwise a channels-last copy.</summary>
    public static Tensor Of(Tensor field) => field.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}
