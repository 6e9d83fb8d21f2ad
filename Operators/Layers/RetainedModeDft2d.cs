using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// The 2D real discrete Fourier transform restricted to the modes a Fourier layer keeps, on
/// channels-last fields (batch, H, W, C), computed as real matrix products instead of full FFTs.
/// </summary>
/// <remarks>
/// Forward: along W (first m2 modes) one product with the (2*m2 x W) matrix of cosines and negated
/// sines gives real and imaginary parts; along H (rows 0..m1-1 and H-m1..H-1) one product with the
/// real (4*m1 x 2*H) block form [[Re F, -Im F], [Im F, Re F]] of the complex DFT rows, applied to
/// real and imaginary parts stacked along H. The inverse
/// applies the transposed-shape matrices with the 1/(H*W) factor and the Hermitian weights of a
/// c2r transform (1 for the zero and Nyquist columns, 2 otherwise; imaginary parts of those columns
/// ignored), so it equals torch.fft.irfft2 of the retained modes zero-filled to (H, W/2+1). The cost
/// grows with the number of kept modes, not with the factorisation of H and W, which wins at prime
/// sizes such as 73 (64 points plus 9 of domain padding), and the products are large GEMMs batched
/// only over the batch.
/// </remarks>
internal sealed class RetainedModeDft2d : IDisposable
{
    private readonly Tensor forwardW;  // (2*m2, W): cos rows, then -sin rows
    private readonly Tensor forwardH;  // (4*m1, 2*H): [[Re F, -Im F], [Im F, Re F]], F = exp(-2 pi i k h / H)
    private readonly Tensor inverseH;  // (2*H, 4*m1): the same blocks of G = exp(+2 pi i k h / H) / H
    private readonly Tensor inverseW;  // (W, 2*m2): c_k cos/W columns, then -c_k sin/W columns
    private readonly int m1, m2;

    public RetainedModeDft2d(long height, long width, int modes1, int modes2, ScalarType realType, Device device)
    {
        m1 = modes1;
        m2 = modes2;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var k2 = HeldScalars.Range(0, modes2, ScalarType.Int64);
        var w = HeldScalars.Range(0, width, ScalarType.Int64);
        var phaseW = Phase(k2.unsqueeze(1) * w.unsqueeze(0), width);                 // (m2, W)
        var fw = cat(new[] { phaseW.cos(), phaseW.sin().neg() }, 0);

        var rows = cat(new[] { HeldScalars.Range(0, modes1, ScalarType.Int64), HeldScalars.Range(height - modes1, height, ScalarType.Int64) });
        var h = HeldScalars.Range(0, height, ScalarType.Int64);
        var phaseH = Phase(rows.unsqueeze(1) * h.unsqueeze(0), height);              // (2*m1, H)
        var fh = ComplexBlocks(phaseH.cos(), phaseH.sin().neg());                  // (4*m1, 2H)
        var ih = ComplexBlocks(phaseH.cos().t(), phaseH.sin().t()).Over(height);     // (2H, 4*m1)

        var hermitian = HeldScalars.Full([modes2], 2.0, ScalarType.Float64, CPU);
        hermitian[0].Fill(1.0);
        if (width % 2 == 0 && modes2 == width / 2 + 1) hermitian[modes2 - 1].Fill(1.0);
        var c = hermitian.Over(width).unsqueeze(1);
        var iw = cat(new[] { phaseW.cos() * c, phaseW.sin().neg() * c }, 0).t();     // (W, 2*m2)

        forwardW = fw.to(realType, device).contiguous().DetachFromDisposeScope();
        forwardH = fh.to(realType, device).contiguous().DetachFromDisposeScope();
        inverseH = ih.to(realType, device).contiguous().DetachFromDisposeScope();
        inverseW = iw.to(realType, device).contiguous().DetachFromDisposeScope();
    }

    /// <summary>
    /// Retained modes of a real field (batch, H, W, C) as (M, batch, 2C), M = 2*m1*m2 in the order
    /// row * m2 + column, real parts in the first C and imaginary parts in the last C entries.
    /// </summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], h = x.shape[1], w = x.shape[2], c = x.shape[3];
        long rows = 2L * m1, n = m2 * c;
        var alongW = forwardW.matmul(x.reshape(b * h, w, c));                          // (BH, [re, im] x m2, C)
        var stacked = alongW.view(b, h, 2, n).transpose(1, 2).reshape(b, 2 * h, n);     // (B, [re; im] x H, m2 C)
        var spectrum = forwardH.matmul(stacked);                                        // (B, [re; im] x 2m1, m2 C)
        return spectrum.view(b, 2, rows * m2, c).permute(2, 0, 1, 3).reshape(rows * m2, b, 2 * c).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The real field (batch, H, W, C) whose spectrum is the given retained modes, laid out as
    /// (M, batch, 2C) like the result of <see cref="Forward"/>, and zero elsewhere.
    /// </summary>
    public Tensor Inverse(Tensor modes, long height, long width)
    {
        using var scope = NewDisposeScope();
        long b = modes.shape[1], c = modes.shape[2] / 2;
        return inverseW.matmul(InverseAlongH(modes, height)).view(b, height, width, c).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The first half of <see cref="Inverse"/>: every row's spectrum along W, (batch * H, 2 * m2, C),
    /// real parts of the m2 columns first. <see cref="InverseW"/> times a row's block gives that row of
    /// the field.
    /// </summary>
    public Tensor InverseAlongH(Tensor modes, long height)
    {
        using var scope = NewDisposeScope();
        long b = modes.shape[1], c = modes.shape[2] / 2;
        long rows = 2L * m1, n = m2 * c;
        var stacked = modes.view(rows, m2, b, 2, c).permute(2, 3, 0, 1, 4).reshape(b, 2 * rows, n);   // (B, [re; im] x 2m1, m2 C)
        var alongH = inverseH.matmul(stacked);                                                          // (B, [re; im] x H, m2 C)
        return alongH.view(b, 2, height, n).transpose(1, 2).reshape(b * height, 2L * m2, c).MoveToOuterDisposeScope();   // (BH, [re, im] x m2, C)
    }

    /// <summary>The inverse transform along W, (W, 2 * m2): the c2r weights over W times cosines, then negated sines.</summary>
    public Tensor InverseW => inverseW;

    public void Dispose()
    {
        forwardW.Dispose();
        forwardH.Dispose();
        inverseH.Dispose();
        inverseW.Dispose();
    }

    /// <summary>The real (2r x 2c) matrix [[re, -im], [im, re]] that multiplies stacked real and imaginary parts.</summary>
    private static Tensor ComplexBlocks(Tensor re, Tensor im) =>
        cat(new[] { cat(new[] { re, im.neg() }, 1), cat(new[] { im, re }, 1) }, 0);

    private static Tensor Phase(Tensor products, long n) =>
        products.Modulo(n).to(ScalarType.Float64).Times(2 * Math.PI / n);
}
