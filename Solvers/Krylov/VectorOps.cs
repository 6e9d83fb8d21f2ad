namespace PdeOps.Solvers.Krylov;

/// <summary>The few BLAS-1 operations the Krylov methods need, on double arrays.</summary>
internal static class VectorOps
{
    public static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    public static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    /// <summary>y += alpha x.</summary>
    public static void Axpy(double alpha, double[] x, double[] y)
    {
        for (int i = 0; i < y.Length; i++) y[i] += alpha * x[i];
    }

    /// <summary>y = x + beta y.</summary>
    public static void Xpby(double[] x, double beta, double[] y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = x[i] + beta * y[i];
    }
}
