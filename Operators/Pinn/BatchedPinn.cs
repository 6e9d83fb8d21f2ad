using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Pinn;

/// <summary>
/// Evaluates S PINNs of one <see cref="PinnOptions"/> shape at once, each with its own weights:
/// the batched form a hypernetwork's output is used in, and the single trainable
/// <see cref="PinnNetwork"/> is the case S = 1 of.
/// </summary>
public static class BatchedPinn
{
    /// <summary>The fixed frequency matrix B (F × 2) of <paramref name="options"/>, in float32.</summary>
    public static Tensor Frequencies(PinnOptions options)
    {
        var random = new Random(options.FrequencySeed);
        var values = new float[options.FourierFeatures * 2];
        for (var k = 0; k < values.Length; k++)
        {
            // Box-Muller: two uniforms to one normal.
            var (u1, u2) = (1 - random.NextDouble(), random.NextDouble());
            values[k] = (float)(options.FourierScale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return tensor(values).reshape(options.FourierFeatures, 2);
    }

    /// <summary>
    /// u at <paramref name="points"/> (S, P, 2) for the S networks whose parameters are
    /// <paramref name="weights"/> (by the names of <see cref="PinnOptions.ParameterShapes"/>, each
    /// with a leading axis S); returns (S, P).
    /// </summary>
    public static Tensor Evaluate(PinnOptions options, IReadOnlyDictionary<string, Tensor> weights, Tensor frequencies, Tensor points) =>
        Linear(weights, "output", Features(options, weights, frequencies, points)).squeeze(-1);

    /// <summary>
    /// The last hidden layer (S, P, width) at <paramref name="points"/> (S, P, 2): the features the
    /// output layer combines linearly into u.
    /// </summary>
    public static Tensor Features(PinnOptions options, IReadOnlyDictionary<string, Tensor> weights, Tensor frequencies, Tensor points)
    {
        if (points.dim() != 3 || points.shape[2] != 2)
            throw new ArgumentException($"points must be (networks, points, 2), got ({string.Join(", ", points.shape)})", nameof(points));
        var z = Embed(points, frequencies);
        Tensor h;
        if (options.Architecture == PinnArchitecture.ModifiedMlp)
        {
            var u = Linear(weights, "encoder_u", z).tanh();
            var v = Linear(weights, "encoder_v", z).tanh();
            h = z;
            for (var k = 0; k < options.HiddenLayers; k++)
            {
                var gate = Linear(weights, $"hidden{k}", h).tanh();
                h = u.Plus(gate * (v - u));
            }
        }
        else
        {
            h = z;
            for (var k = 0; k < options.HiddenLayers; k++) h = Linear(weights, $"hidden{k}", h).tanh();
        }
        return h;
    }

    static Tensor Linear(IReadOnlyDictionary<string, Tensor> weights, string name, Tensor input) =>
        input.matmul(weights[$"{name}.weight"].transpose(1, 2)).Plus(weights[$"{name}.bias"].unsqueeze(1));

    /// <summary>[x, y, sin(π B p), cos(π B p)] for points (S, P, 2).</summary>
    public static Tensor Embed(Tensor points, Tensor frequencies)
    {
        if (frequencies.shape[0] == 0) return points;
        var phase = matmul(points, frequencies.t()).Times(Math.PI);
        return cat([points, phase.sin(), phase.cos()], dim: -1);
    }
}
