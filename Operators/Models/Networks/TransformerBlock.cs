using PdeOps.Operators.Layers;
using PdeOps.Operators.Layers.Attention;
using PdeOps.Operators.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Models;

/// <summary>
/// A pre-norm transformer block on a grid of tokens (batch, width, h, w):
/// x + attention(norm(x)), then x + MLP(norm(x)), the MLP pointwise (width -> 2 width -> width, GELU).
/// The attention is the softmax kernel integral of <see cref="IntegralAttention"/> with the midpoint
/// rule's weights 1/(h w) (tokens stand for the patches' centres), which is exactly standard
/// softmax attention and, as the tokens are refined, converges to one integral operator: the block
/// keeps its meaning on any number of tokens.
/// </summary>
internal sealed class TransformerBlock : nn.Module<Tensor, Tensor>, IGridAgnostic
{
    private readonly LayerNorm attentionNorm;
    private readonly IntegralAttention attention;
    private readonly LayerNorm mlpNorm;
    private readonly Sequential mlp;

    public TransformerBlock(int width, int heads) : base("block")
    {
        attentionNorm = nn.LayerNorm(width);
        attention = new IntegralAttention(width, heads, new SoftmaxKernel());
        mlpNorm = nn.LayerNorm(width);
        mlp = nn.Sequential(("hidden", nn.Linear(width, 2 * width)), ("act", nn.GELU()), ("out", nn.Linear(2 * width, width)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        long batch = tokens.shape[0], channels = tokens.shape[1], height = tokens.shape[2], width = tokens.shape[3];
        var x = tokens.flatten(2).transpose(1, 2);                                     // (B, n, C)
        long n = x.shape[1];
        var normed = attentionNorm.call(x);
        x = x.Plus(attention.Forward(normed, normed, HeldScalars.Full([batch, n], 1.0 / n, x.dtype, x.device)));
        x = x.Plus(mlp.call(mlpNorm.call(x)));
        return x.transpose(1, 2).reshape(batch, channels, height, width).MoveToOuterDisposeScope();
    }
}
