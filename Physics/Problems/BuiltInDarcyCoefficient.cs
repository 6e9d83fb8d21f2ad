namespace PdeOps.Physics.Problems;

/// <summary>
/// The deterministic two-phase Darcy coefficient of <c>pdeops solve darcy</c> without
/// <c>--coefficient</c>: <see cref="High"/> where a smooth level-set function is non-negative and
/// <see cref="Low"/> elsewhere, shaped like the piecewise-constant coefficients of the FNO Darcy
/// benchmark (Li et al., ICLR 2021) but reproducible without a random field.
/// </summary>
public static class BuiltInDarcyCoefficient
{
    /// <summary>The coefficient of the high phase.</summary>
    public const double High = 12;

    /// <summary>The coefficient of the low phase.</summary>
    public const double Low = 3;

    /// <summary>
    /// The coefficient at (x, y) of the unit square: 12 where
    /// sin(7.1 x + 2.3) cos(5.3 y - 0.7) + 0.6 sin(11.2 x y + 1.1) - 0.2 &gt;= 0, else 3.
    /// </summary>
    public static double At(double x, double y) =>
        Phase(Math.Sin(7.1 * x + 2.3) * Math.Cos(5.3 * y - 0.7) + 0.6 * Math.Sin(11.2 * x * y + 1.1) - 0.2);

    /// <summary>
    /// The coefficient at (x, y, z) of the unit cube: 12 where
    /// sin(7.1 x + 2.3) cos(5.3 y - 0.7) cos(4.1 z + 0.3) + 0.6 sin(11.2 x y z + 1.1) - 0.2 &gt;= 0, else 3.
    /// </summary>
    public static double At(double x, double y, double z) =>
        Phase(Math.Sin(7.1 * x + 2.3) * Math.Cos(5.3 * y - 0.7) * Math.Cos(4.1 * z + 0.3) + 0.6 * Math.Sin(11.2 * x * y * z + 1.1) - 0.2);

    static double Phase(double levelSet) => levelSet >= 0 ? High : Low;
}
