using PdeOps.Operators.Layers;
using PdeOps.Operators.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Pinn;

/// <summary>
/// One trainable physics-informed network u(x, y) on [−1, 1]² (Raissi, Perdikaris and Karniadakis
/// 2019), shaped by <see cref="PinnOptions"/>: the S = 1 case of <see cref="BatchedPinn"/>.
/// Weights start Xavier-normal, biases at zero.
/// </summary>
public sealed class PinnNetwork : nn.Module<Tensor, Tensor>
{
    readonly Dictionary<string, Parameter> byName = new(StringComparer.Ordinal);
    readonly Tensor frequencies;

    /// <summary>Creates the network with initial weights drawn from <see cref="PinnOptions.Seed"/>.</summary>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public PinnNetwork(PinnOptions options) : base("pinn")
    {
        Options = options.Validated();
        frequencies = BatchedPinn.Frequencies(options);
        var generator = new Generator((ulong)options.Seed + 1);
        using (no_grad())
        {
            foreach (var (name, shape) in options.ParameterShapes())
            {
                Tensor data;
                if (shape.Length == 2)
                {
                    var std = Math.Sqrt(2.0 / (shape[0] + shape[1]));
                    data = randn([1, .. shape], generator: generator).ScaleInPlace(std);
                }
                else
                {
                    data = zeros([1, .. shape]);
                }
                var p = ParameterFactory.Create(data);
                byName[name] = p;
                register_parameter(name.Replace('.', '_'), p);
            }
        }
        register_buffer("frequencies", frequencies);
    }

    /// <summary>The network's shape.</summary>
    public PinnOptions Options { get; }

    /// <summary>The parameters by the names of <see cref="PinnOptions.ParameterShapes"/>, each with a leading axis of 1.</summary>
    public IReadOnlyDictionary<string, Tensor> Weights => byName.ToDictionary(p => p.Key, p => (Tensor)p.Value);

    /// <summary>
    /// The parameters as one vector in <see cref="PinnOptions.ParameterShapes"/> order: the form a
    /// hypernetwork writes and a <c>PinnEnsemble</c> member is added from.
    /// </summary>
    public Tensor Flat() => cat(Options.ParameterShapes().Select(s => byName[s.Name].detach().reshape(-1)).ToArray());

    /// <summary>u at points (P, 2) or (1, P, 2); returns (P) or (1, P).</summary>
    public override Tensor forward(Tensor points) => outputMultiplier == 1 ? UnitForward(points) : UnitForward(points) * outputMultiplier;

    // 1 except while the network trains in units of 1 (InUnitScale).
    double outputMultiplier = 1;

    /// <summary>
    /// Multiplies the output by <paramref name="scale"/> until disposed, the weights read as an
    /// answer in units of 1 (as a fresh network's are): <see cref="UnitForward"/> trains on the
    /// problem divided by <paramref name="scale"/> while the network answers it as given.
    /// </summary>
    internal OutputScaleScope InUnitScale(double scale) => new(scale, keepAnswer: false, ScaleOutput, m => outputMultiplier = m);

    /// <summary>u as the weights give it, without the multiplier of <see cref="InUnitScale"/>.</summary>
    internal Tensor UnitForward(Tensor points)
    {
        var single = points.dim() == 2;
        var batched = single ? points.unsqueeze(0) : points;
        var u = BatchedPinn.Evaluate(Options, Weights, frequencies, batched);
        return single ? u.squeeze(0) : u;
    }

    /// <summary>Multiplies the output layer's weights and bias by <paramref name="factor"/>, and so u.</summary>
    internal void ScaleOutput(double factor) => PinnOutputLayer.Scale(byName, factor);

    /// <summary>u at the points (x[i], y[i]), in double precision out, without building a graph.</summary>
    public double[] Predict(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => PinnPointBlocks.Evaluate(x, y, forward);
}
