using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Models;

/// <summary>Building blocks of the shipped convolutional networks, written as a user would write them in TorchSharp.</summary>
internal static class ConvBlocks
{
    /// <summary>3x3 convolution keeping the grid.</summary>
    public static Conv2d Conv3x3(long inChannels, long outChannels, GridConvention convention, long stride = 1) =>
        nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, padding_mode: GridResolution.PaddingFor(convention));

    /// <summary>Two (3x3 convolution, group norm, GELU) stages: PDE-Arena's U-Net block without its residual.</summary>
    public static Sequential DoubleConv(long inChannels, long outChannels, GridConvention convention) => nn.Sequential(
        ("conv1", Conv3x3(inChannels, outChannels, convention)),
        ("norm1", GroupNorm(outChannels)),
        ("act1", nn.GELU()),
        ("conv2", Conv3x3(outChannels, outChannels, convention)),
        ("norm2", GroupNorm(outChannels)),
        ("act2", nn.GELU()));

    /// <summary>Pointwise two-layer projection, width -> 4 width -> out.</summary>
    public static Sequential Projection(long width, long outChannels) => nn.Sequential(
        ("hidden", nn.Conv2d(width, 4 * width, 1)),
        ("act", nn.GELU()),
        ("out", nn.Conv2d(4 * width, outChannels, 1)));

    /// <summary>
    /// Group norm over up to 8 groups, initialised to the identity affine map. TorchSharp 0.107's
    /// GroupNorm leaves its weight and bias uninitialised (arbitrary memory, NaN at times), so they
    /// are set here.
    /// </summary>
    public static GroupNorm GroupNorm(long channels)
    {
        long groups = 8;
        while (channels % groups != 0) groups /= 2;
        var norm = nn.GroupNorm(groups, channels);
        using (no_grad())
        {
            norm.weight!.Fill(1.0);
            norm.bias!.zero_();
        }
        return norm;
    }
}
