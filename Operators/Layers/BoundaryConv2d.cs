using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Layers;

/// <summary>
/// A 3x3 convolution without bias whose one-point halo follows a <see cref="BoundaryPadding"/>:
/// with stride 1 a learned stencil (the smoother S or the operator A of a multigrid level), with
/// stride 2 a learned restriction to the next coarser grid of ceil(n/2) points per axis (He, Liu,
/// Xu, "MgNO: Efficient parameterization of linear operators via multigrid", ICLR 2024).
/// </summary>
public sealed class BoundaryConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    /// <summary>Creates the convolution with PyTorch's default initialisation, U(-1/sqrt(9 in), 1/sqrt(9 in)).</summary>
    /// <param name="inChannels">Channels of the input field.</param>
    /// <param name="outChannels">Channels of the output field.</param>
    /// <param name="stride">1 (same grid) or 2 (restriction to the coarser grid).</param>
    /// <param name="boundary">Padding rule at the edges.</param>
    /// <param name="name">Module name.</param>
    public BoundaryConv2d(int inChannels, int outChannels, int stride, BoundaryPadding boundary, string name = "conv")
        : base(name)
    {
        if (stride is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(stride), stride, "stride must be 1 or 2");
        Stride = stride;
        Boundary = boundary;
        double bound = 1.0 / Math.Sqrt(9.0 * inChannels);
        using (no_grad())
            weight = ParameterFactory.Create(empty(outChannels, inChannels, 3, 3).uniform_(-bound, bound));
        RegisterComponents();
    }

    /// <summary>1 or 2.</summary>
    public int Stride { get; }

    /// <summary>Padding rule at the edges.</summary>
    public BoundaryPadding Boundary { get; }

    /// <summary>The (out, in, 3, 3) stencil.</summary>
    public Parameter Weight => weight;

    /// <summary>Maps (batch, in, H, W) to (batch, out, H, W), or to (batch, out, ceil(H/2), ceil(W/2)) with stride 2.</summary>
    public override Tensor forward(Tensor input)
    {
        var strides = new long[] { Stride, Stride };
        using var scope = NewDisposeScope();
        input = ChannelsLastMemory.Of(input);
        if (Boundary == BoundaryPadding.Dirichlet)
            return (Stride == 1 ? Convolution3x3.Conv2d(input, weight, 1) : F.conv2d(input, weight, null, strides, new long[] { 1, 1 })).MoveToOuterDisposeScope();
        var padded = Halo(input, Boundary);
        return (Stride == 1 ? Convolution3x3.Conv2d(ChannelsLastMemory.Of(padded), weight, 0) : F.conv2d(padded, weight, null, strides, new long[] { 0, 0 })).MoveToOuterDisposeScope();
    }

    /// <summary>Pads one point on every side of the last two axes following the boundary rule.</summary>
    internal static Tensor Halo(Tensor input, BoundaryPadding boundary) => boundary switch
    {
        BoundaryPadding.Periodic => F.pad(input, new long[] { 1, 1, 1, 1 }, PaddingModes.Circular),
        BoundaryPadding.Neumann => F.pad(input, new long[] { 1, 1, 1, 1 }, PaddingModes.Reflect),
        _ => F.pad(input, new long[] { 1, 1, 1, 1 }),
    };
}
