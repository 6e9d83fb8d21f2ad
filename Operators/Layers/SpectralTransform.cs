using System.Text.Json.Serialization;

namespace PdeOps.Operators.Layers;

/// <summary>How a 2D spectral convolution computes the Fourier coefficients it keeps.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SpectralTransform>))]
public enum SpectralTransform
{
    /// <summary>
    /// Retained-mode DFTs when a grid size has a prime factor above 7 (FFTs of such sizes, e.g.
    /// 73 = 64 + 9 points of domain padding, are several times slower) or when at most log2(H*W)
    /// modes are kept per axis (the matrix products then cost no more arithmetic than an FFT and run
    /// at matrix-product speed: at 64 x 64 with 12 modes, width 32 and batch 20 a forward and backward
    /// pass took 70 ms of one core against 116 ms with FFTs); full FFTs otherwise.
    /// </summary>
    Auto,

    /// <summary>torch.fft.rfft2 of the whole grid, then irfft2 of a zero-filled spectrum.</summary>
    Fft,

    /// <summary>
    /// Discrete Fourier transforms restricted to the retained modes, computed as real and complex
    /// matrix products (a DFT along an axis of n points restricted to k modes is an n x k product).
    /// </summary>
    RetainedModeDft,
}
