namespace PdeOps.Solvers.Gpu;

/// <summary>
/// The floating-point formulas of the multigrid sweeps, written once per precision so the ILGPU
/// kernels (indexing, colours, boundaries) are shared between double and float. Implementations
/// are empty structs called through a constrained type parameter, which ILGPU inlines on every
/// backend. Each formula keeps the operation order of <see cref="Multigrid.FivePointKernels"/>.
/// </summary>
/// <typeparam name="T">The element type stored on the device.</typeparam>
internal interface IGridArithmetic<T> where T : unmanaged
{
    /// <summary>Rounds a double to T.</summary>
    T FromDouble(double value);
    /// <summary>Widens T to double.</summary>
    double ToDouble(T value);
    /// <summary>Gauss-Seidel update (f + ax (w + e) + ay (s + n)) * invDiag.</summary>
    T Relax(T f, T west, T east, T south, T north, T ax, T ay, T invDiag);
    /// <summary>Residual f - (diag c - ax (w + e) - ay (s + n)).</summary>
    T Residual(T f, T centre, T west, T east, T south, T north, T ax, T ay, T diag);
    /// <summary>u + scale r.</summary>
    T AddScaled(T u, T scale, T r);
    /// <summary>Full weighting (4 c + 2 (w + e + s + n) + sw + se + nw + ne) / 16.</summary>
    T FullWeighting(T centre, T west, T east, T south, T north, T sw, T se, T nw, T ne);
    /// <summary>a + b.</summary>
    T Add(T a, T b);
    /// <summary>(a + b) / 2.</summary>
    T Mean2(T a, T b);
    /// <summary>(a + b + c + d) / 4.</summary>
    T Mean4(T a, T b, T c, T d);
    /// <summary>Cubic midpoint (9 (b + c) - (a + d)) / 16.</summary>
    T Cubic(T a, T b, T c, T d);
    /// <summary>Quadratic midpoint next to a zero boundary: 3/4 inner - 1/8 next.</summary>
    T Quadratic(T inner, T next);
    /// <summary>The square of a value, accumulated in double.</summary>
    double Square(T value);
}

/// <summary>Double-precision formulas.</summary>
internal readonly struct DoubleArithmetic : IGridArithmetic<double>
{
    public double FromDouble(double value) => value;
    public double ToDouble(double value) => value;
    public double Relax(double f, double west, double east, double south, double north, double ax, double ay, double invDiag) =>
        (f + ax * (west + east) + ay * (south + north)) * invDiag;
    public double Residual(double f, double centre, double west, double east, double south, double north, double ax, double ay, double diag) =>
        f - (diag * centre - ax * (west + east) - ay * (south + north));
    public double AddScaled(double u, double scale, double r) => u + scale * r;
    public double FullWeighting(double centre, double west, double east, double south, double north, double sw, double se, double nw, double ne) =>
        0.0625 * (4 * centre + 2 * (west + east + south + north) + sw + se + nw + ne);
    public double Add(double a, double b) => a + b;
    public double Mean2(double a, double b) => 0.5 * (a + b);
    public double Mean4(double a, double b, double c, double d) => 0.25 * (a + b + c + d);
    public double Cubic(double a, double b, double c, double d) => 0.5625 * (b + c) - 0.0625 * (a + d);
    public double Quadratic(double inner, double next) => 0.75 * inner - 0.125 * next;
    public double Square(double value) => value * value;
}

/// <summary>Single-precision storage and formulas; the residual and squares are evaluated in double (mixed precision).</summary>
internal readonly struct SingleArithmetic : IGridArithmetic<float>
{
    public float FromDouble(double value) => (float)value;
    public double ToDouble(float value) => value;
    public float Relax(float f, float west, float east, float south, float north, float ax, float ay, float invDiag) =>
        (f + ax * (west + east) + ay * (south + north)) * invDiag;
    // Evaluated in double: f and A u cancel to many digits near convergence, and a float residual
    // would stall the iteration at eps_float * diag * |u| instead of eps_float * |r|.
    public float Residual(float f, float centre, float west, float east, float south, float north, float ax, float ay, float diag) =>
        (float)(f - ((double)diag * centre - (double)ax * ((double)west + east) - (double)ay * ((double)south + north)));
    public float AddScaled(float u, float scale, float r) => u + scale * r;
    public float FullWeighting(float centre, float west, float east, float south, float north, float sw, float se, float nw, float ne) =>
        0.0625f * (4 * centre + 2 * (west + east + south + north) + sw + se + nw + ne);
    public float Add(float a, float b) => a + b;
    public float Mean2(float a, float b) => 0.5f * (a + b);
    public float Mean4(float a, float b, float c, float d) => 0.25f * (a + b + c + d);
    public float Cubic(float a, float b, float c, float d) => 0.5625f * (b + c) - 0.0625f * (a + d);
    public float Quadratic(float inner, float next) => 0.75f * inner - 0.125f * next;
    public double Square(float value) => (double)value * value;
}
