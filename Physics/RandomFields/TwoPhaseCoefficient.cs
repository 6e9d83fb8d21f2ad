namespace PdeOps.Physics.RandomFields;

/// <summary>
/// Piecewise-constant coefficients from a random field, as in the FNO Darcy data (Li et al.,
/// ICLR 2021): <c>high</c> where the field is non-negative, <c>low</c> elsewhere (12 and 3 by
/// default; 4 for the low phase is also seen in the original scripts).
/// </summary>
public static class TwoPhaseCoefficient
{
    /// <summary>The FNO Darcy prior: a zero-Neumann field with alpha = 2 and tau = 3 on s x s cell centres.</summary>
    public static GaussianRandomField FnoDarcyField(int size, double alpha = 2, double tau = 3) =>
        new(2, size, alpha, tau, boundary: FieldBoundary.Neumann);

    /// <summary>Thresholds <paramref name="field"/> at zero.</summary>
    public static double[,] Threshold(double[,] field, double high = 12, double low = 3)
    {
        if (!(high > 0) || !(low > 0)) throw new ArgumentException($"both phases must be positive (got {high}, {low})");
        int rows = field.GetLength(0), cols = field.GetLength(1);
        var a = new double[rows, cols];
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < cols; x++) a[y, x] = field[y, x] >= 0 ? high : low;
        return a;
    }

    /// <summary>Sample <paramref name="index"/> of the FNO Darcy coefficients on an s x s grid.</summary>
    public static double[,] Sample(int size, long seed, long index, double high = 12, double low = 3) =>
        Threshold(FnoDarcyField(size).Sample2D(seed, index), high, low);
}
