using PdeOps.Operators.Layers;
using PdeOps.Operators.Layers.Attention;
using PdeOps.Operators.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Hypino;

/// <summary>
/// One encoder stage of <see cref="HypinoNetwork"/>: pre-norm blocks of integral attention over the
/// stage's tokens and a pointwise MLP, each block's normalised input modulated by FiLM
/// (x (1 + γ) + β, with γ and β linear in the operator's coefficient features: Perez et al. 2018,
/// as HyPINO conditions its Swin stages), and attention pooling: a learned query attends to all
/// tokens and gives the stage's summary vector.
/// </summary>
internal sealed class HypinoStage : nn.Module
{
    private readonly ModuleList<IntegralAttention> attention = new();
    private readonly ModuleList<LayerNorm> attentionNorms = new();
    private readonly ModuleList<LayerNorm> mlpNorms = new();
    private readonly ModuleList<PointwiseLinear> mlpIn = new();
    private readonly ModuleList<PointwiseLinear> mlpOut = new();
    private readonly ModuleList<Linear> film = new();
    private readonly PointwiseLinear position;
    private readonly IntegralAttention pooling;
    private readonly LayerNorm poolingNorm;
    private readonly Parameter poolingQuery;
    private readonly int frequencies;

    public HypinoStage(int width, int depth, int heads, string kernel, int frequencies, int conditionFeatures, string name) : base(name)
    {
        this.frequencies = frequencies;
        position = new PointwiseLinear(FourierFeatures.Channels(2, frequencies), width, name: "position");
        for (int b = 0; b < depth; b++)
        {
            attentionNorms.Add(nn.LayerNorm(width));
            attention.Add(new IntegralAttention(width, heads, AttentionKernels.Create(kernel), $"attention{b}"));
            mlpNorms.Add(nn.LayerNorm(width));
            mlpIn.Add(new PointwiseLinear(width, 2 * width, name: $"mlp_in{b}"));
            mlpOut.Add(new PointwiseLinear(2 * width, width, name: $"mlp_out{b}"));
            var modulation = nn.Linear(conditionFeatures, 2 * width);
            using (no_grad())
            {
                modulation.weight!.zero_(); // start as the identity modulation: γ = β = 0
                modulation.bias!.zero_();
            }
            film.Add(modulation);
        }
        poolingNorm = nn.LayerNorm(width);
        pooling = new IntegralAttention(width, heads, AttentionKernels.Create(kernel), "pooling");
        poolingQuery = ParameterFactory.Create(randn(1, 1, width).ScaleInPlace(0.02));
        RegisterComponents();
    }

    /// <summary>
    /// Runs the blocks on tokens (batch, n, width) at <paramref name="points"/> conditioned on
    /// (batch, features); returns the new tokens and the pooled summary (batch, width).
    /// </summary>
    public (Tensor Tokens, Tensor Pooled) Forward(Tensor tokens, PointSet points, Tensor condition)
    {
        var x = tokens.Plus(position.ForwardChannelsLast(FourierFeatures.Encode(points.Coordinates, frequencies)));
        for (int b = 0; b < attention.Count; b++)
        {
            var gammaBeta = film[b].call(condition).unsqueeze(1).chunk(2, dim: -1);     // (B, 1, width) each
            var normed = (attentionNorms[b].call(x) * gammaBeta[0].Plus(1.0)).Plus(gammaBeta[1]);
            x = x.Plus(attention[b].Forward(normed, points));
            x = x.Plus(mlpOut[b].ForwardChannelsLast(F.gelu(mlpIn[b].ForwardChannelsLast(mlpNorms[b].call(x)))));
        }
        var query = poolingQuery.expand(x.shape[0], 1, -1);
        var pooled = pooling.Forward(query, poolingNorm.call(x), points).squeeze(1);
        return (x, pooled);
    }
}
