using System.Numerics;

namespace PdeOps.Solvers.Spectral;

/// <summary>
/// The diagonal coefficients of ETDRK4 (Cox and Matthews, J. Comput. Phys. 176, 2002) for a real,
/// non-positive diagonal linear operator L and step h: E = exp(hL), E2 = exp(hL/2), Q = h phi1(hL/2)/2
/// and the three weights f1, f2, f3 of the final stage. The phi-functions are evaluated as means
/// over a circle of radius 1 around each hL (Kassam and Trefethen, SIAM J. Sci. Comput. 26, 2005),
/// which avoids the cancellation of the direct formulas for small |hL|.
/// </summary>
internal sealed class EtdRk4Coefficients
{
    /// <summary>Contour points on the upper half circle; L is real, so the lower half mirrors it and the mean is real.</summary>
    public const int ContourPoints = 32;

    /// <summary>Computes the coefficients for every entry of <paramref name="linear"/> and step <paramref name="h"/>.</summary>
    public EtdRk4Coefficients(ReadOnlySpan<double> linear, double h)
    {
        int n = linear.Length;
        E = new double[n]; E2 = new double[n]; Q = new double[n];
        F1 = new double[n]; F2 = new double[n]; F3 = new double[n];
        var roots = new Complex[ContourPoints];
        for (int j = 0; j < ContourPoints; j++) roots[j] = Complex.Exp(new Complex(0, Math.PI * (j + 0.5) / ContourPoints));
        for (int k = 0; k < n; k++)
        {
            double hl = h * linear[k];
            E[k] = Math.Exp(hl);
            E2[k] = Math.Exp(hl / 2);
            Complex q = 0, f1 = 0, f2 = 0, f3 = 0;
            foreach (var r in roots)
            {
                Complex z = hl + r, ez = Complex.Exp(z), z3 = z * z * z;
                q += (Complex.Exp(z / 2) - 1) / z;
                f1 += (-4 - z + ez * (4 - 3 * z + z * z)) / z3;
                f2 += (2 + z + ez * (z - 2)) / z3;
                f3 += (-4 - 3 * z - z * z + ez * (4 - z)) / z3;
            }
            Q[k] = h * q.Real / ContourPoints;
            F1[k] = h * f1.Real / ContourPoints;
            F2[k] = h * f2.Real / ContourPoints;
            F3[k] = h * f3.Real / ContourPoints;
        }
    }

    /// <summary>exp(hL).</summary>
    public double[] E { get; }
    /// <summary>exp(hL/2).</summary>
    public double[] E2 { get; }
    /// <summary>h ((exp(hL/2) - 1) / (hL)), the half-step weight of the first three stages.</summary>
    public double[] Q { get; }
    /// <summary>Final-stage weight of N(v).</summary>
    public double[] F1 { get; }
    /// <summary>Final-stage weight of N(a) + N(b) (applied with factor 2).</summary>
    public double[] F2 { get; }
    /// <summary>Final-stage weight of N(c).</summary>
    public double[] F3 { get; }
}
