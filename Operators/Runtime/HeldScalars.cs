using TorchSharp;
using static TorchSharp.torch;

namespace PdeOps.Operators.Runtime;

/// <summary>
/// Tensor arithmetic whose scalars stay alive for the whole native call.
/// </summary>
/// <remarks>
/// TorchSharp's <c>a + b</c>, <c>t * 2.0</c>, <c>t.pow(2.0)</c> and every method taking a <see cref="Scalar"/>
/// made from a number create a temporary Scalar, pass only its handle to libtorch and drop the object. When
/// another thread starts a garbage collection at that moment, the Scalar's finalizer may free it while libtorch
/// still reads it: an error "Expected false to be true" from c10::Scalar::toDouble, or a silently wrong value.
/// The hot loops of PINN and HyPINO training run millions of such operations, so they use these forms.
/// </remarks>
internal static class HeldScalars
{
    static readonly Scalar One = 1.0.ToScalar();

    /// <summary>a + b. (a - b, a * b and a / b of two tensors take no scalar and need no helper.)</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a + c.</summary>
    public static Tensor Plus(this Tensor a, double c) => With(c, addend => a.add(addend, One));

    /// <summary>a + c b.</summary>
    public static Tensor PlusScaled(this Tensor a, Tensor b, double c) => With(c, alpha => a.add(b, alpha));

    /// <summary>c a.</summary>
    public static Tensor Times(this Tensor a, double c) => With(c, a.mul);

    /// <summary>a / c.</summary>
    public static Tensor Over(this Tensor a, double c) => With(c, divisor => a.div(divisor));

    /// <summary>a^e.</summary>
    public static Tensor Power(this Tensor a, double e) => With(e, a.pow);

    /// <summary>max(a, <paramref name="floor"/>), elementwise.</summary>
    public static Tensor AtLeast(this Tensor a, double floor) => With(floor, a.clamp_min);

    /// <summary>c a, in place; returns <paramref name="a"/>.</summary>
    public static Tensor ScaleInPlace(this Tensor a, double c) => With(c, a.mul_);

    /// <summary>Sets every element of <paramref name="a"/> to <paramref name="value"/>; returns <paramref name="a"/>.</summary>
    public static Tensor Fill(this Tensor a, double value) => With(value, a.fill_);

    /// <summary>The mask a &lt;= c, elementwise.</summary>
    public static Tensor IsAtMost(this Tensor a, double c) => With(c, a.le);

    /// <summary>a mod n of an integer tensor, elementwise.</summary>
    public static Tensor Modulo(this Tensor a, long n) => With(n.ToScalar(), a.remainder);

    /// <summary>The integers start, start + 1, ..., stop - 1 as a tensor of <paramref name="dtype"/>.</summary>
    public static Tensor Range(long start, long stop, ScalarType dtype)
    {
        using var first = start.ToScalar();
        using var end = stop.ToScalar();
        return arange(first, end, dtype: dtype);
    }

    /// <summary>A tensor shaped like <paramref name="like"/> filled with <paramref name="value"/>.</summary>
    public static Tensor FullLike(Tensor like, double value) => With(value, fill => full_like(like, fill));

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Full(long[] shape, double value, ScalarType dtype, Device device) =>
        With(value, fill => full(shape, fill, dtype: dtype, device: device));

    // Runs op with value as a Scalar that is disposed only after op returns.
    static Tensor With(double value, Func<Scalar, Tensor> op) => With(value.ToScalar(), op);

    static Tensor With(Scalar scalar, Func<Scalar, Tensor> op)
    {
        using (scalar) return op(scalar);
    }
}
