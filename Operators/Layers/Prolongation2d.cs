using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Layers;

/// <summary>
/// Learned prolongation of a multigrid layer: a stride-2 transposed 3x3 convolution from a coarse
/// grid of ceil(H/2) x ceil(W/2) points to a fine grid of exactly H x W points (He, Liu, Xu,
/// "MgNO", ICLR 2024). Coarse point j sits on fine point 2j; the output size is taken from the
/// fine level, so odd and even sizes (85, 141, 211, 64) both match without cropping the data.
/// </summary>
/// <remarks>
/// With Dirichlet padding this is conv_transpose2d with padding 1 and output_padding H - (2*ceil(H/2) - 1).
/// With periodic or Neumann padding the coarse field first gets a one-point halo by the same rule,
/// so that fine points at the edge also receive the wrapped or reflected coarse neighbour.
/// </remarks>
public sealed class Prolongation2d : nn.Module<Tensor, long, long, Tensor>
{
    private readonly Parameter weight;

    /// <summary>Creates the prolongation with PyTorch's default transposed-convolution initialisation.</summary>
    /// <param name="inChannels">Channels of the coarse field.</param>
    /// <param name="outChannels">Channels of the fine field.</param>
    /// <param name="boundary">Padding rule at the edges.</param>
    /// <param name="name">Module name.</param>
    public Prolongation2d(int inChannels, int outChannels, BoundaryPadding boundary, string name = "prolongation")
        : base(name)
    {
        Boundary = boundary;
        double bound = 1.0 / Math.Sqrt(9.0 * outChannels);
        using (no_grad())
            weight = ParameterFactory.Create(empty(inChannels, outChannels, 3, 3).uniform_(-bound, bound));
        RegisterComponents();
    }

    /// <summary>Padding rule at the edges.</summary>
    public BoundaryPadding Boundary { get; }

    /// <summary>The (in, out, 3, 3) transposed-convolution stencil.</summary>
    public Parameter Weight => weight;

    /// <summary>Maps a coarse field (batch, in, ceil(H/2), ceil(W/2)) to the fine field (batch, out, H, W).</summary>
    public override Tensor forward(Tensor coarse, long height, long width)
    {
        long hc = coarse.shape[2], wc = coarse.shape[3];
        if (hc != (height + 1) / 2 || wc != (width + 1) / 2)
            throw new ArgumentException($"a {hc}x{wc} coarse grid does not belong to a {height}x{width} fine grid");
        var strides = new long[] { 2, 2 };
        using var scope = NewDisposeScope();
        coarse = ChannelsLastMemory.Of(coarse);
        if (Boundary == BoundaryPadding.Dirichlet)
        {
            var outputPadding = new long[] { height - (2 * hc - 1), width - (2 * wc - 1) };
            return F.conv_transpose2d(coarse, weight, null, strides, new long[] { 1, 1 }, outputPadding).MoveToOuterDisposeScope();
        }
        var spread = F.conv_transpose2d(BoundaryConv2d.Halo(coarse, Boundary), weight, null, strides, new long[] { 0, 0 });
        return spread.narrow(2, 3, height).narrow(3, 3, width).MoveToOuterDisposeScope();
    }
}
