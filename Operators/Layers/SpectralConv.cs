using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// The Fourier layer of the FNO in one, two or three dimensions (Li et al., "Fourier Neural
/// Operator for Parametric Partial Differential Equations", ICLR 2021, eq. (4)):
/// v -> F^-1(R . (F v)), where R mixes channels independently for each retained Fourier mode and
/// all other modes are dropped.
/// </summary>
/// <remarks>
/// <para>
/// Fields are channels-first (batch, channels, n1, ..., nd) in <see cref="forward"/> and
/// channels-last (batch, n1, ..., nd, channels) in <see cref="ForwardChannelsLast"/>. The kept
/// modes are the 2^(d-1) corners of the rfftn spectrum: both signs of frequency along every axis
/// but the last (m_a each) and the first m_d non-negative frequencies along the last. The weights
/// are one real parameter of shape (M, in, out, 2), M the number of kept modes in row-major order
/// over the kept axes, real and imaginary parts in the last axis so that optimisers such as Adam
/// treat them as independent real numbers. The forward pass applies them as the real block matrix
/// [[Re W, Im W], [-Im W, Re W]] in one batched product over modes (the same product as a complex
/// multiplication, computed faster) and writes the output spectrum once into a zero-filled buffer.
/// The inverse transform takes s = (n1, ..., nd), so the layer runs at any resolution holding the
/// modes (discretisation invariance).
/// </para>
/// <para>
/// In 2D the retained modes can instead be computed as dense DFTs of only the kept frequencies
/// (<see cref="SpectralTransform.RetainedModeDft"/>, <see cref="RetainedModeDft2d"/>), much faster
/// than an FFT on sizes with large prime factors (73 = 64 + 9 padding points). 1D and 3D fields
/// always take the FFT: a 1D FFT of any size is cheap beside the channel mixing, and no 3D
/// retained-mode transform exists yet.
/// </para>
/// </remarks>
public sealed class SpectralConv : nn.Module<Tensor, Tensor>, IChannelsLast
{
    private readonly Parameter weight;
    private readonly int[] modes;
    private readonly Dictionary<(long, long, ScalarType, DeviceType, int), RetainedModeDft2d> dfts = new();
    private readonly object dftLock = new();

    /// <summary>Creates the layer with the FNO initialisation: weights uniform in [0, 1/(in out)).</summary>
    /// <param name="inChannels">Channels of the input field.</param>
    /// <param name="outChannels">Channels of the output field.</param>
    /// <param name="modes">Modes kept per axis: each sign of frequency on every axis but the last, non-negative ones on the last.</param>
    /// <param name="transform">How the retained spectrum is computed (2D only; other dimensions use the FFT).</param>
    /// <param name="name">Module name.</param>
    public SpectralConv(int inChannels, int outChannels, IReadOnlyList<int> modes,
        SpectralTransform transform = SpectralTransform.Auto, string name = "spectral_conv")
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(modes);
        if (modes.Count is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(modes), modes.Count, "the layer works in 1, 2 or 3 dimensions");
        if (modes.Any(m => m < 1)) throw new ArgumentOutOfRangeException(nameof(modes), "at least one mode per axis is needed");
        if (inChannels < 1 || outChannels < 1) throw new ArgumentOutOfRangeException(nameof(inChannels), "channel counts must be at least 1");
        InChannels = inChannels;
        OutChannels = outChannels;
        this.modes = modes.ToArray();
        Transform = transform;
        weight = SpectralModes.CreateWeight(KeptModes(this.modes), inChannels, outChannels);
        RegisterComponents();
    }

    /// <summary>Channels of the input field.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output field.</summary>
    public int OutChannels { get; }

    /// <summary>Modes kept per axis (each sign of frequency on all axes but the last).</summary>
    public IReadOnlyList<int> Modes => modes;

    /// <summary>Spatial dimensions.</summary>
    public int Dimensions => modes.Length;

    /// <summary>How the retained spectrum is computed.</summary>
    public SpectralTransform Transform { get; }

    /// <summary>The real weight (M, in, out, 2), kept modes in row-major order over the kept axes.</summary>
    public Parameter Weight => weight;

    /// <summary>Number of kept modes: 2^(d-1) corners of m1 x ... x md.</summary>
    public static long KeptModes(IReadOnlyList<int> modes) => modes.Aggregate(1L, (p, m) => p * m) << (modes.Count - 1);

    /// <summary>Whether a 2D grid of the given size is transformed with retained-mode DFTs.</summary>
    public bool UsesRetainedModeDft(long height, long width) => Dimensions == 2 && Transform switch
    {
        SpectralTransform.Fft => false,
        SpectralTransform.RetainedModeDft => true,
        _ => !FftFriendly.IsSmooth(height) || !FftFriendly.IsSmooth(width)
            || Math.Max(modes[0], modes[1]) <= Math.Log2((double)height * width),
    };

    /// <summary>Maps (batch, in, n1, ..., nd) to (batch, out, n1, ..., nd).</summary>
    public override Tensor forward(Tensor input)
    {
        int d = Dimensions;
        if (input.dim() != d + 2 || input.shape[1] != InChannels)
            throw new ArgumentException($"expected a (batch, {InChannels}{string.Concat(Enumerable.Repeat(", n", d))}) tensor, got ({string.Join(", ", input.shape)})", nameof(input));
        using var scope = NewDisposeScope();
        var toLast = new long[d + 2];
        var toFirst = new long[d + 2];
        for (int a = 0; a < d; a++) { toLast[a + 1] = a + 2; toFirst[a + 2] = a + 1; }
        toLast[d + 1] = 1;
        toFirst[1] = d + 1;
        return ForwardChannelsLast(input.permute(toLast)).permute(toFirst).MoveToOuterDisposeScope();
    }

    /// <summary>Maps a channels-last field (batch, n1, ..., nd, in) to (batch, n1, ..., nd, out).</summary>
    public Tensor ForwardChannelsLast(Tensor input)
    {
        int d = Dimensions;
        if (input.dim() != d + 2 || input.shape[d + 1] != InChannels)
            throw new ArgumentException($"expected a (batch{string.Concat(Enumerable.Repeat(", n", d))}, {InChannels}) tensor, got ({string.Join(", ", input.shape)})", nameof(input));
        long b = input.shape[0];
        long[] grid = input.shape[1..^1];
        SpectralModes.CheckGrid(grid, modes, nameof(SpectralConv));
        using var scope = NewDisposeScope();
        Tensor output;
        if (d == 2 && UsesRetainedModeDft(grid[0], grid[1]))
        {
            var dft = Dft(grid[0], grid[1], input.dtype, input.device);
            output = dft.Inverse(SpectralModes.MixBlocks(dft.Forward(input), weight), grid[0], grid[1]);
        }
        else
        {
            var spatial = Enumerable.Range(1, d).Select(a => (long)a).ToArray();
            var kept = SpectralModes.Gather(fft.rfftn(input, dim: spatial), modes, firstAxis: 1);    // (B, k1, ..., kd, in)
            long[] keptShape = kept.shape[1..^1];
            // (B, k..., in, 2) -> (k..., B, 2, in) -> (M, B, 2 in)
            var toModes = spatial.Append(0).Append(d + 2).Append(d + 1).ToArray();
            var lhs = view_as_real(kept).permute(toModes).reshape(KeptModes(modes), b, 2L * InChannels);
            // (M, B, 2 out) -> (k..., B, 2, out) -> (B, k..., out, 2)
            var back = new long[] { d }.Concat(Enumerable.Range(0, d).Select(a => (long)a)).Append(d + 2).Append(d + 1).ToArray();
            var mixed = SpectralModes.MixBlocks(lhs, weight).view([.. keptShape, b, 2, OutChannels]).permute(back).contiguous();
            long[] spectrumShape = [b, .. grid[..^1], grid[^1] / 2 + 1, OutChannels];
            var full = SpectralModes.Scatter(view_as_complex(mixed), spectrumShape, modes, firstAxis: 1);
            output = fft.irfftn(full, s: grid, dim: spatial);
        }
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// For a 2D field taken by retained-mode DFTs (<see cref="UsesRetainedModeDft"/>), the layer's output
    /// short of its last product: each row's spectrum along W, (batch * H, 2 * m2, out), and the (W, 2 * m2)
    /// matrix that turns a row's block into that row of the output, so that a fused kernel can apply it
    /// where the output is consumed. False, with nothing computed, on any other field.
    /// </summary>
    internal bool TryRowSpectra(Tensor input, out Tensor rows, out Tensor inverseW)
    {
        (rows, inverseW) = (null!, null!);
        if (Dimensions != 2 || input.dim() != 4 || input.shape[3] != InChannels || !UsesRetainedModeDft(input.shape[1], input.shape[2])) return false;
        SpectralModes.CheckGrid(input.shape[1..^1], modes, nameof(SpectralConv));
        var dft = Dft(input.shape[1], input.shape[2], input.dtype, input.device);
        using var scope = NewDisposeScope();
        rows = dft.InverseAlongH(SpectralModes.MixBlocks(dft.Forward(input), weight), input.shape[1]).MoveToOuterDisposeScope();
        inverseW = dft.InverseW;
        return true;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (dftLock)
            {
                foreach (var dft in dfts.Values) dft.Dispose();
                dfts.Clear();
            }
        }
        base.Dispose(disposing);
    }

    private RetainedModeDft2d Dft(long h, long w, ScalarType dtype, Device device)
    {
        var key = (h, w, dtype, device.type, device.index);
        lock (dftLock)
        {
            if (!dfts.TryGetValue(key, out var dft))
            {
                dft = new RetainedModeDft2d(h, w, modes[0], modes[1], dtype, device);
                dfts[key] = dft;
            }
            return dft;
        }
    }
}
