using System.Numerics;

namespace PdeOps.Solvers.Spectral;

/// <summary>Small helpers on spectral coefficient arrays shared by the spectral steppers.</summary>
public static class SpectralFields
{
    /// <summary>
    /// True when every coefficient is finite. One sum over the array: NaN and infinity propagate into
    /// it, and an overflow of the sum itself means the field is out of range anyway.
    /// </summary>
    public static bool AllFinite(ReadOnlySpan<Complex> values)
    {
        double sum = 0;
        foreach (var c in values) sum += c.Real + c.Imaginary;
        return double.IsFinite(sum);
    }
}
