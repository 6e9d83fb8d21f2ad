namespace PdeOps.Datasets.Generation;

/// <summary>Merging and checking of generator parameters and resolutions, shared by the families.</summary>
public static class GeneratorParameters
{
    /// <summary>
    /// Default relative residual tolerance of the elliptic generators for float32 output: the
    /// solution then differs from an exact solve by about one float32 unit in the last place of
    /// max |u| (Darcy, measured against a direct solve: 9e-10 on max |u| = 1.4e-2 at 421 and 129
    /// points), the resolution of the stored data.
    /// </summary>
    public const double Float32Tolerance = 1e-5;
    /// <summary>Default tolerance for float64 output.</summary>
    public const double Float64Tolerance = 1e-10;

    /// <summary>Sets "tolerance" to <see cref="Float64Tolerance"/> for float64 output unless the request gives one.</summary>
    public static void UsePrecisionTolerance(Dictionary<string, double> parameters, GenerationRequest request)
    {
        if (!request.Parameters.ContainsKey("tolerance") && request.Precision == StoragePrecision.Float64) parameters["tolerance"] = Float64Tolerance;
    }

    /// <summary>The defaults with the overrides applied; an unknown name is an error that lists the known ones.</summary>
    /// <exception cref="ArgumentException">An override names no parameter of the family, or is not finite.</exception>
    public static Dictionary<string, double> Merge(string family, IReadOnlyDictionary<string, double> defaults, IReadOnlyDictionary<string, double> overrides)
    {
        var merged = new Dictionary<string, double>(defaults, StringComparer.Ordinal);
        foreach (var (name, value) in overrides)
        {
            if (!merged.ContainsKey(name))
                throw new ArgumentException($"{family} has no parameter '{name}' (known: {string.Join(", ", defaults.Keys.Order(StringComparer.Ordinal))})");
            if (!double.IsFinite(value)) throw new ArgumentException($"parameter '{name}' must be finite (got {value})");
            merged[name] = value;
        }
        return merged;
    }

    /// <summary>The parameter <paramref name="name"/>, which must be positive.</summary>
    public static double Positive(IReadOnlyDictionary<string, double> parameters, string name)
    {
        double v = parameters[name];
        if (!(v > 0)) throw new ArgumentException($"parameter '{name}' must be positive (got {v})");
        return v;
    }

    /// <summary>The parameter <paramref name="name"/>, which must be a positive whole number.</summary>
    public static int PositiveInteger(IReadOnlyDictionary<string, double> parameters, string name)
    {
        double v = parameters[name];
        if (!(v >= 1) || v != Math.Floor(v) || v > int.MaxValue) throw new ArgumentException($"parameter '{name}' must be a positive whole number (got {v})");
        return (int)v;
    }

    /// <summary>
    /// The stride that subsamples a vertex grid of <paramref name="fine"/> points per axis (ends
    /// included) to <paramref name="coarse"/> points: (fine - 1) / (coarse - 1), which must be whole.
    /// </summary>
    public static int VertexStride(int fine, int coarse)
    {
        if (coarse < 3) throw new ArgumentException($"resolution {coarse} is too small: at least 3 points per axis");
        if (fine < coarse || (fine - 1) % (coarse - 1) != 0)
            throw new ArgumentException($"fine resolution {fine} cannot be subsampled to {coarse}: (fine - 1) must be a multiple of (resolution - 1), e.g. 421 -> 211, 141, 106, 85");
        return (fine - 1) / (coarse - 1);
    }

    /// <summary>The stride that subsamples a periodic grid of <paramref name="fine"/> points (x_i = i / fine) to <paramref name="coarse"/>.</summary>
    public static int PeriodicStride(int fine, int coarse)
    {
        if (coarse < 4) throw new ArgumentException($"resolution {coarse} is too small: at least 4 points");
        if (fine < coarse || fine % coarse != 0)
            throw new ArgumentException($"fine resolution {fine} cannot be subsampled to {coarse}: it must be a multiple of it (e.g. 8192 -> 1024)");
        return fine / coarse;
    }

    /// <summary>Every <paramref name="stride"/>-th value of a [y, x] field, flattened row-major.</summary>
    public static double[] Subsample(double[,] field, int stride, int resolution)
    {
        var result = new double[resolution * resolution];
        for (int j = 0; j < resolution; j++)
            for (int i = 0; i < resolution; i++) result[j * resolution + i] = field[j * stride, i * stride];
        return result;
    }

    /// <summary>Every <paramref name="stride"/>-th value of a 1D array.</summary>
    public static double[] Subsample(double[] values, int stride, int resolution)
    {
        var result = new double[resolution];
        for (int i = 0; i < resolution; i++) result[i] = values[i * stride];
        return result;
    }

    /// <summary>n equally spaced points from 0 to 1 inclusive (vertex grids).</summary>
    public static double[] VertexCoordinates(int n) => Enumerable.Range(0, n).Select(i => (double)i / (n - 1)).ToArray();

    /// <summary>n periodic points i / n.</summary>
    public static double[] PeriodicCoordinates(int n) => Enumerable.Range(0, n).Select(i => (double)i / n).ToArray();
}
