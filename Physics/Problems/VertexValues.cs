using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PdeOps.Physics.Problems;

/// <summary>
/// The checks a problem makes of its vertex arrays, lane by lane: they read every value of fields of
/// a few hundred thousand points each time a problem is built, as often as once per sample.
/// </summary>
internal static class VertexValues
{
    /// <summary>The values of a 2D or 3D array in row-major order.</summary>
    public static ReadOnlySpan<double> Flat(Array values) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, double>(ref MemoryMarshal.GetArrayDataReference(values)), values.Length);

    /// <summary>Throws, naming the first offending value, unless every value of field <paramref name="name"/> is finite.</summary>
    public static void RequireFinite(string name, ReadOnlySpan<double> values)
    {
        // v - v is 0 for a finite v and NaN for an infinite or NaN one.
        int k = 0, width = Vector<double>.Count;
        var allFinite = Vector<double>.Zero;
        for (; k <= values.Length - width; k += width)
        {
            var v = new Vector<double>(values[k..]);
            allFinite += v - v;
        }
        if (Vector.EqualsAll(allFinite, Vector<double>.Zero) && AllFinite(values[k..])) return;
        foreach (double v in values)
            if (!double.IsFinite(v)) throw new ArgumentException($"field {name} contains {v}");
    }

    /// <summary>Throws, naming the first offending value, unless the diffusion coefficient is positive everywhere.</summary>
    public static void RequirePositive(ReadOnlySpan<double> values)
    {
        int k = 0, width = Vector<double>.Count;
        bool positive = true;
        for (; positive && k <= values.Length - width; k += width) positive = Vector.GreaterThanAll(new Vector<double>(values[k..]), Vector<double>.Zero);
        for (; positive && k < values.Length; k++) positive = values[k] > 0;
        if (positive) return;
        foreach (double v in values)
            if (!(v > 0)) throw new ArgumentException($"the diffusion coefficient a must be positive everywhere (found {v})");
    }

    static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
            if (!double.IsFinite(v)) return false;
        return true;
    }
}
