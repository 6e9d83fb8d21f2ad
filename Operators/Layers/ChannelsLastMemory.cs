using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// Stores 4D channels-first tensors (batch, channels, H, W) with channels as the fastest axis,
/// keeping their channels-first shape. libtorch's CPU convolutions (oneDNN) run their stride-2
/// and transposed kernels two to three times faster on this layout, and element-wise results
/// inherit it. Each MgNO convolution converts its own input (free when already channels-last):
/// converting once at the model's entry is not enough, because a one-channel field's strides
/// fit both layouts and libtorch then picks channels-first for everything computed from it.
/// </summary>
internal static class ChannelsLastMemory
{
    /// <summary>The tensor itself when already stored channels-last (no copy), otherwise a channels-last copy.</summary>
    public static Tensor Of(Tensor field) => field.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}
