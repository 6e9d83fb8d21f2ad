using System.Text.Json.Serialization;
using PdeOps.Operators.Layers.Attention;
using PdeOps.Operators.Pinn;

namespace PdeOps.Operators.Hypino;

/// <summary>
/// The shape of a <see cref="HypinoNetwork"/>: the problem grid it reads, the encoder's stages and
/// the PINN it writes. Two presets: <see cref="Small"/>, sized to train on two CPU cores within a
/// couple of hours, and <see cref="Paper"/>, close to the published configuration (Bischof et al.
/// 2025: a Swin-like encoder at 224², embedding 128, depths 2-2-10-2).
/// </summary>
public sealed record HypinoOptions
{
    /// <summary>Points per side of the five-channel problem grid on [−1, 1]².</summary>
    public int Resolution { get; init; } = 64;
    /// <summary>Side of the square patches the convolution stem turns into tokens.</summary>
    public int PatchSize { get; init; } = 4;
    /// <summary>Token channels of the first stage; every later stage doubles them as it halves the token grid.</summary>
    public int Embedding { get; init; } = 32;
    /// <summary>Attention blocks per stage (the number of entries is the number of stages).</summary>
    public IReadOnlyList<int> Depths { get; init; } = [1, 1, 1];
    /// <summary>Attention heads in every stage; must divide <see cref="Embedding"/>.</summary>
    public int Heads { get; init; } = 2;
    /// <summary>The attention kernel of the blocks and the pooling (<see cref="AttentionKernels"/>).</summary>
    public string Kernel { get; init; } = "softmax";
    /// <summary>Frequencies of the Fourier features of token positions and of the operator's coefficients.</summary>
    public int Frequencies { get; init; } = 4;
    /// <summary>Hidden width of the heads that emit the PINN's parameters.</summary>
    public int HeadWidth { get; init; } = 128;
    /// <summary>The PINN every problem is answered with (HyPINO: the modified MLP of width 32).</summary>
    public PinnOptions Pinn { get; init; } = new();
    /// <summary>
    /// When set, the network reads every problem with its data (boundary values and source)
    /// multiplied so that its size (<see cref="HypinoNetwork.DataMagnitude"/>) is this value, and
    /// divides the PINN it writes by the same factor: the answer then scales with the data exactly,
    /// as the solution of a linear problem does. Null (the first models) reads the data as given.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? InputMagnitude { get; init; }

    /// <summary>The preset that trains on this project's two-core machine.</summary>
    public static HypinoOptions Small { get; } = new();

    /// <summary>The preset close to the published configuration.</summary>
    public static HypinoOptions Paper { get; } = new()
    {
        Resolution = 224,
        Embedding = 128,
        Depths = [2, 2, 10, 2],
        Heads = 4,
        Frequencies = 8,
        HeadWidth = 512,
    };

    /// <summary>The named preset ("small" or "paper").</summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public static HypinoOptions Preset(string name) => name switch
    {
        "small" => Small,
        "paper" => Paper,
        _ => throw new ArgumentException($"unknown HyPINO preset '{name}'; known presets: small, paper", nameof(name)),
    };

    /// <summary>Coefficients of the operator the encoder is conditioned on: those of u, ux, uy, uxx, uyy, uxy.</summary>
    public const int Coefficients = 6;

    /// <summary>Token channels of stage <paramref name="stage"/>.</summary>
    public int Channels(int stage) => Embedding << stage;

    /// <summary>Tokens per side in stage <paramref name="stage"/>.</summary>
    public int TokensPerSide(int stage) => Resolution / PatchSize >> stage;

    /// <summary>Throws <see cref="ArgumentException"/> when the options do not describe a network.</summary>
    public HypinoOptions Validated()
    {
        if (Depths.Count < 1 || Depths.Any(d => d < 1)) throw new ArgumentException("every stage needs at least one block");
        if (PatchSize < 1 || Resolution < 2 * PatchSize) throw new ArgumentException($"the resolution ({Resolution}) must hold at least two patches of {PatchSize} per side");
        if (Resolution % (PatchSize << (Depths.Count - 1)) != 0)
            throw new ArgumentException($"the resolution ({Resolution}) must be divisible by the patch size times 2^(stages - 1) = {PatchSize << (Depths.Count - 1)}");
        if (TokensPerSide(Depths.Count - 1) < 2) throw new ArgumentException("the last stage needs at least 2 x 2 tokens");
        if (Embedding < 1 || Heads < 1 || Embedding % Heads != 0) throw new ArgumentException($"the heads ({Heads}) must divide the embedding ({Embedding})");
        if (Frequencies < 1 || HeadWidth < 1) throw new ArgumentException("frequencies and head width must be positive");
        if (InputMagnitude is { } m && !(m > 0 && double.IsFinite(m))) throw new ArgumentException($"the input magnitude must be positive and finite (got {m})");
        AttentionKernels.Create(Kernel);
        Pinn.Validated();
        return this;
    }
}
