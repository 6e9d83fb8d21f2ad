using PdeOps.Operators.Losses;
using PdeOps.Operators.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Models;

/// <summary>
/// A residual CNN for channels-first 2D fields: the grid coordinates appended to the input, a
/// pointwise lifting, residual blocks x + conv(GELU(conv(x))) followed by GELU, all 3x3 at one
/// width, and a pointwise projection. Built as a user would build a network for one grid;
/// <c>resnet-no</c> is its conversion with fixed-offset convolutions.
/// </summary>
public sealed class ResNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d lifting;
    private readonly Sequential blocks;
    private readonly Sequential projection;

    /// <summary>Builds the network.</summary>
    public ResNet(ResNetOptions options) : base("resnet")
    {
        ArgumentNullException.ThrowIfNull(options);
        options = (ResNetOptions)options.Validated();
        lifting = nn.Conv2d(options.InChannels + 2, options.Width, 1);
        blocks = nn.Sequential(Enumerable.Range(0, options.Layers)
            .Select(b => ($"block{b}", (nn.Module<Tensor, Tensor>)new ResidualBlock(options.Width, options.Convention))).ToArray());
        projection = ConvBlocks.Projection(options.Width, options.OutChannels);
        RegisterComponents();
    }

    /// <summary>Maps (batch, in, H, W) to (batch, out, H, W).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return projection.call(blocks.call(lifting.call(GridEmbedding.Append(input)))).MoveToOuterDisposeScope();
    }
}

/// <summary>x -> GELU(x + conv(GELU(conv(x)))).</summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Sequential body;

    public ResidualBlock(long channels, GridConvention convention) : base("block")
    {
        body = nn.Sequential(
            ("conv1", ConvBlocks.Conv3x3(channels, channels, convention)),
            ("act", nn.GELU()),
            ("conv2", ConvBlocks.Conv3x3(channels, channels, convention)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return nn.functional.gelu(input.Plus(body.call(input))).MoveToOuterDisposeScope();
    }
}
