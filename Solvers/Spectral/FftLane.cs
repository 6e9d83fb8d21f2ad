using System.Numerics;
using System.Runtime.Intrinsics;

namespace PdeOps.Solvers.Spectral;

/// <summary>
/// What the FFT's butterflies combine: one complex number (<see cref="ComplexLane"/>), or the values at
/// the same index of four independent transforms (<see cref="ComplexLane4"/>), which run in step, one
/// per vector lane. The operations are those of <see cref="Complex"/>, product for product, so every
/// lane gives the scalar transform's values to the bit.
/// </summary>
internal interface IFftLane<T> where T : unmanaged, IFftLane<T>
{
    static abstract T operator +(T a, T b);
    static abstract T operator -(T a, T b);
    /// <summary>The product with a twiddle factor.</summary>
    static abstract T operator *(T a, Complex w);
    static abstract T operator *(double s, T a);
    /// <summary>-i a.</summary>
    static abstract T MinusI(T a);
    static abstract T Conjugate(T a);
}

/// <summary>One complex number, laid out as <see cref="Complex"/> (real, then imaginary part).</summary>
internal readonly struct ComplexLane(double re, double im) : IFftLane<ComplexLane>
{
    public double Re { get; } = re;
    public double Im { get; } = im;

    public static ComplexLane operator +(ComplexLane a, ComplexLane b) => new(a.Re + b.Re, a.Im + b.Im);
    public static ComplexLane operator -(ComplexLane a, ComplexLane b) => new(a.Re - b.Re, a.Im - b.Im);
    public static ComplexLane operator *(ComplexLane a, Complex w) => new(a.Re * w.Real - a.Im * w.Imaginary, a.Im * w.Real + a.Re * w.Imaginary);
    public static ComplexLane operator *(double s, ComplexLane a) => new(s * a.Re, s * a.Im);
    public static ComplexLane MinusI(ComplexLane a) => new(a.Im, -a.Re);
    public static ComplexLane Conjugate(ComplexLane a) => new(a.Re, -a.Im);
}

/// <summary>Four complex numbers, one per lane: real parts in one vector, imaginary parts in another.</summary>
internal readonly struct ComplexLane4(Vector256<double> re, Vector256<double> im) : IFftLane<ComplexLane4>
{
    public Vector256<double> Re { get; } = re;
    public Vector256<double> Im { get; } = im;

    public static ComplexLane4 operator +(ComplexLane4 a, ComplexLane4 b) => new(a.Re + b.Re, a.Im + b.Im);
    public static ComplexLane4 operator -(ComplexLane4 a, ComplexLane4 b) => new(a.Re - b.Re, a.Im - b.Im);
    public static ComplexLane4 operator *(ComplexLane4 a, Complex w)
    {
        Vector256<double> wr = Vector256.Create(w.Real), wi = Vector256.Create(w.Imaginary);
        return new(a.Re * wr - a.Im * wi, a.Im * wr + a.Re * wi);
    }
    public static ComplexLane4 operator *(double s, ComplexLane4 a)
    {
        var v = Vector256.Create(s);
        return new(v * a.Re, v * a.Im);
    }
    public static ComplexLane4 MinusI(ComplexLane4 a) => new(a.Im, -a.Re);
    public static ComplexLane4 Conjugate(ComplexLane4 a) => new(a.Re, -a.Im);
}
