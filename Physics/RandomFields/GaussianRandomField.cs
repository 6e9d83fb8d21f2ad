
namespace PdeOps.Physics.RandomFields;

/// <summary>Boundary behaviour of a <see cref="GaussianRandomField"/>.</summary>
public enum FieldBoundary
{
    /// <summary>Periodic on [0, 1)^d, sampled at x_i = i / s (the FNO Burgers and Navier-Stokes recipes).</summary>
    Periodic,
    /// <summary>Zero normal derivative on [0, 1]^d, sampled at cell centres x_i = (i + 1/2) / s (the FNO Darcy recipe).</summary>
    Neumann,
}

/// <summary>
/// Gaussian random fields with mean zero and covariance operator sigma^2 (-Lap + tau^2)^(-alpha)
/// in 1, 2 or 3 dimensions, the priors of the operator-learning benchmarks (Li et al., "Fourier
/// neural operator for parametric PDEs", ICLR 2021). A sample is the Karhunen-Loeve sum
/// u = sum_k sqrt(lambda_k) xi_k phi_k over the real orthonormal eigenfunctions of the Laplacian
/// (tensor products of 1, sqrt 2 cos, sqrt 2 sin for periodic fields; of 1, sqrt 2 cos for
/// Neumann fields), with lambda_k = sigma^2 (mu_k + tau^2)^(-alpha), mu_k the Laplacian
/// eigenvalue, xi_k independent standard normals, and the constant mode left out as in the recipes.
/// </summary>
/// <remarks>
/// The sum is evaluated by separable products with the basis sampled on the grid, so a sample
/// costs O(m s^d) per axis for m modes per axis, and needs no FFT of a particular size.
/// At most <see cref="MaxModes"/> basis functions per axis are kept; for the benchmark
/// parameters the first dropped eigenvalue is below 1e-4 of the largest in amplitude.
/// The default sigma, tau^(alpha - d/2), makes the Neumann 2D field the FNO Darcy recipe exactly.
/// Sample i depends only on (parameters, seed, i): see <see cref="SampleRandom"/>.
/// </remarks>
public sealed class GaussianRandomField
{
    readonly double[] _basis;      // m x s, basis function k at grid point i
    readonly double[] _basisTransposed; // s x m
    readonly double[] _frequency;  // sqrt of the 1D Laplacian eigenvalue of basis function k
    readonly int _modes;

    /// <summary>Creates a sampler of s^d-point fields.</summary>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public GaussianRandomField(int dimensions, int size, double alpha, double tau, double? sigma = null,
        FieldBoundary boundary = FieldBoundary.Periodic, int maxModes = 256)
    {
        if (dimensions is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "1, 2 or 3 dimensions");
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), size, "at least 2 points per axis");
        // A sample is one array of s^d values.
        if (Math.Pow(size, dimensions) > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"{size}^{dimensions} points exceed the {Array.MaxLength} an array holds");
        if (maxModes < 2) throw new ArgumentOutOfRangeException(nameof(maxModes), maxModes, "at least 2 modes per axis");
        Dimensions = dimensions; Size = size; Alpha = alpha; Tau = tau; Boundary = boundary;
        Sigma = CheckParameters(dimensions, alpha, tau, sigma);
        MaxModes = maxModes;
        (_basis, _frequency) = boundary == FieldBoundary.Neumann ? CosineBasis(size, maxModes) : FourierBasis(size, maxModes);
        _modes = _frequency.Length;
        _basisTransposed = new double[size * _modes];
        for (int k = 0; k < _modes; k++)
            for (int i = 0; i < size; i++) _basisTransposed[i * _modes + k] = _basis[k * size + i];
    }

    /// <summary>
    /// Checks alpha, tau and sigma as the constructor does and returns sigma, by default
    /// tau^(alpha - d/2), so that a caller can refuse bad settings before it builds fields.
    /// </summary>
    /// <exception cref="ArgumentException">alpha or tau is not positive and finite, or sigma (given or by default) is not.</exception>
    public static double CheckParameters(int dimensions, double alpha, double tau, double? sigma = null)
    {
        if (!(alpha > 0) || !(tau > 0) || !double.IsFinite(alpha) || !double.IsFinite(tau)) throw new ArgumentException($"alpha and tau must be positive (got {alpha}, {tau})");
        if (sigma is { } given)
            return given > 0 && double.IsFinite(given) ? given : throw new ArgumentException($"sigma must be positive (got {given})");
        double amplitude = Math.Pow(tau, alpha - dimensions / 2.0);
        if (!(amplitude > 0) || !double.IsFinite(amplitude))
            throw new ArgumentException($"alpha {alpha} and tau {tau} give the field an amplitude tau^(alpha - {dimensions}/2) = {amplitude}, not a positive finite number; choose a smaller alpha or a tau nearer 1");
        return amplitude;
    }

    /// <summary>Spatial dimensions.</summary>
    public int Dimensions { get; }
    /// <summary>Points per axis.</summary>
    public int Size { get; }
    /// <summary>Smoothness exponent alpha.</summary>
    public double Alpha { get; }
    /// <summary>Inverse length scale tau.</summary>
    public double Tau { get; }
    /// <summary>Amplitude sigma.</summary>
    public double Sigma { get; }
    /// <summary>Boundary behaviour.</summary>
    public FieldBoundary Boundary { get; }
    /// <summary>Upper bound on basis functions per axis.</summary>
    public int MaxModes { get; }

    /// <summary>Grid coordinate of point i along any axis.</summary>
    public double Coordinate(int i) => Boundary == FieldBoundary.Neumann ? (i + 0.5) / Size : (double)i / Size;

    /// <summary>Sample <paramref name="index"/> of the stream <paramref name="seed"/>, row-major with the last axis fastest (s^d values).</summary>
    public double[] Sample(long seed, long index)
    {
        int m = _modes, d = Dimensions;
        var rng = new SampleRandom(seed, index);
        int count = 1;
        for (int a = 0; a < d; a++) count *= m;
        var coefficients = new double[count];
        double halfAlpha = -Alpha / 2;
        for (int c = 0; c < count; c++)
        {
            double xi = rng.NextNormal();
            double mu = 0;
            for (int a = 0, rest = c; a < d; a++, rest /= m)
            {
                double f = _frequency[rest % m];
                mu += f * f;
            }
            coefficients[c] = c == 0 ? 0 : Sigma * Math.Pow(mu + Tau * Tau, halfAlpha) * xi;
        }
        // Contract the last axis first: (m^(d-1), m) -> (m^(d-1), s), then each earlier axis.
        var current = coefficients;
        int inner = 1, outer = count / m;
        for (int a = d - 1; a >= 0; a--)
        {
            current = ContractAxis(current, outer, inner);
            inner *= Size;
            outer /= m;
        }
        return current;
    }

    /// <summary>A 1D sample.</summary>
    public double[] Sample1D(long seed, long index) => Dimensions == 1 ? Sample(seed, index) : throw new InvalidOperationException($"this field has {Dimensions} dimensions");

    /// <summary>A 2D sample as [y, x].</summary>
    public double[,] Sample2D(long seed, long index)
    {
        if (Dimensions != 2) throw new InvalidOperationException($"this field has {Dimensions} dimensions");
        var flat = Sample(seed, index);
        var field = new double[Size, Size];
        Buffer.BlockCopy(flat, 0, field, 0, flat.Length * sizeof(double));
        return field;
    }

    /// <summary>A 3D sample as [z, y, x].</summary>
    public double[,,] Sample3D(long seed, long index)
    {
        if (Dimensions != 3) throw new InvalidOperationException($"this field has {Dimensions} dimensions");
        var flat = Sample(seed, index);
        var field = new double[Size, Size, Size];
        Buffer.BlockCopy(flat, 0, field, 0, flat.Length * sizeof(double));
        return field;
    }

    // input (outer, m, inner) -> output (outer, s, inner): out[o] = basis^T (s x m) in[o] (m x inner);
    // on the last axis (inner = 1) the whole contraction is one product in (outer x m) basis (m x s).
    double[] ContractAxis(double[] input, int outer, int inner)
    {
        int m = _modes, s = Size;
        var output = new double[checked(outer * s * inner)];
        if (inner == 1)
        {
            SmallGemm.Multiply(input, m, _basis, s, output, s, outer, s, m);
            return output;
        }
        for (int o = 0; o < outer; o++)
            SmallGemm.Multiply(_basisTransposed, m, input.AsSpan(o * m * inner, m * inner), inner, output.AsSpan(o * s * inner, s * inner), inner, s, inner, m);
        return output;
    }

    // 1, sqrt2 cos(pi k x) at cell centres; the Laplacian eigenvalue of mode k is (pi k)^2.
    static (double[], double[]) CosineBasis(int s, int maxModes)
    {
        int m = Math.Min(s, maxModes);
        var basis = new double[m * s];
        var frequency = new double[m];
        for (int k = 0; k < m; k++)
        {
            frequency[k] = Math.PI * k;
            double norm = k == 0 ? 1 : Math.Sqrt(2);
            for (int i = 0; i < s; i++) basis[k * s + i] = norm * Math.Cos(Math.PI * k * (i + 0.5) / s);
        }
        return (basis, frequency);
    }

    // 1, then sqrt2 cos(2 pi f x), sqrt2 sin(2 pi f x) for f = 1..K at x = i / s; eigenvalue (2 pi f)^2.
    // The Nyquist frequency of an even grid is left out (its sine vanishes on the grid).
    static (double[], double[]) FourierBasis(int s, int maxModes)
    {
        int k = Math.Min((s - 1) / 2, (maxModes - 1) / 2);
        int m = 2 * k + 1;
        var basis = new double[m * s];
        var frequency = new double[m];
        for (int i = 0; i < s; i++) basis[i] = 1;
        for (int f = 1; f <= k; f++)
        {
            frequency[2 * f - 1] = frequency[2 * f] = 2 * Math.PI * f;
            for (int i = 0; i < s; i++)
            {
                double angle = 2 * Math.PI * f * i / s;
                basis[(2 * f - 1) * s + i] = Math.Sqrt(2) * Math.Cos(angle);
                basis[2 * f * s + i] = Math.Sqrt(2) * Math.Sin(angle);
            }
        }
        return (basis, frequency);
    }
}
