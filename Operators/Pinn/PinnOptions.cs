namespace PdeOps.Operators.Pinn;

/// <summary>The two network shapes a PINN can take.</summary>
public enum PinnArchitecture
{
    /// <summary>
    /// The modified MLP of Wang, Teng and Perdikaris (2021) that HyPINO generates: two gating
    /// encoders U = tanh(W_u z + b_u), V = tanh(W_v z + b_v) of the embedded input z, and hidden
    /// layers H ← (1 − tanh(W H + b)) ⊙ U + tanh(W H + b) ⊙ V.
    /// </summary>
    ModifiedMlp,
    /// <summary>A plain tanh MLP.</summary>
    Mlp,
}

/// <summary>
/// Shape of a PINN on [−1, 1]²: the input (x, y) is embedded as [x, y, sin(π B (x, y)), cos(π B (x, y))]
/// with a fixed frequency matrix B (F × 2, entries drawn N(0, σ²) from <see cref="FrequencySeed"/>, so the embedding is
/// part of the configuration, not of the weights), then mapped by the hidden layers to u.
/// </summary>
public sealed record PinnOptions
{
    /// <summary>Modified MLP (HyPINO's target network) or plain MLP.</summary>
    public PinnArchitecture Architecture { get; init; } = PinnArchitecture.ModifiedMlp;
    /// <summary>Hidden width (HyPINO: 32).</summary>
    public int Width { get; init; } = 32;
    /// <summary>Hidden layers (HyPINO: 3).</summary>
    public int HiddenLayers { get; init; } = 3;
    /// <summary>Fourier frequencies F; 0 for none.</summary>
    public int FourierFeatures { get; init; } = 16;
    /// <summary>σ of the frequencies (in units of π).</summary>
    public double FourierScale { get; init; } = 1;
    /// <summary>Seed of the initial weights.</summary>
    public int Seed { get; init; }
    /// <summary>Seed of the frequency matrix B: part of the network's shape, shared by all networks a hypernetwork writes.</summary>
    public int FrequencySeed { get; init; }

    /// <summary>Width of the embedded input: 2 + 2F.</summary>
    public int EmbeddingWidth => 2 + 2 * FourierFeatures;

    /// <summary>Checks the sizes.</summary>
    /// <exception cref="ArgumentException">A size is out of range.</exception>
    public PinnOptions Validated()
    {
        if (Width < 1) throw new ArgumentException($"the PINN width must be at least 1 (got {Width})");
        if (HiddenLayers < 1) throw new ArgumentException($"a PINN needs at least one hidden layer (got {HiddenLayers})");
        if (FourierFeatures < 0) throw new ArgumentException($"the number of Fourier features cannot be negative (got {FourierFeatures})");
        if (!(FourierScale > 0) || !double.IsFinite(FourierScale)) throw new ArgumentException($"the Fourier scale must be positive (got {FourierScale})");
        return this;
    }

    /// <summary>
    /// Names and shapes (without the batch axis) of every weight and bias, in a fixed order: what
    /// a hypernetwork must produce for one PINN.
    /// </summary>
    public IReadOnlyList<(string Name, long[] Shape)> ParameterShapes()
    {
        var shapes = new List<(string, long[])>();
        void Linear(string name, long outputs, long inputs)
        {
            shapes.Add(($"{name}.weight", [outputs, inputs]));
            shapes.Add(($"{name}.bias", [outputs]));
        }
        if (Architecture == PinnArchitecture.ModifiedMlp)
        {
            Linear("encoder_u", Width, EmbeddingWidth);
            Linear("encoder_v", Width, EmbeddingWidth);
        }
        for (var k = 0; k < HiddenLayers; k++) Linear($"hidden{k}", Width, k == 0 ? EmbeddingWidth : Width);
        Linear("output", 1, Width);
        return shapes;
    }
}
