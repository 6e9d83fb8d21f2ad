using PdeOps.Physics.Pde;

namespace PdeOps.Operators.Pinn;

/// <summary>
/// The power of ten a problem's data are divided by before a PINN trains on it. A PINN starts with
/// answers of size about 1, and Adam moves its weights by about its learning rate a step whatever
/// the size of the gradient, so what it learns is accurate to an absolute amount, not a relative
/// one: trained on "uxx + uyy = s sin(πx) sin(πy)" with u = 0 on the square for 300 Adam and 50
/// L-BFGS steps, a PINN was off by about 0.02 everywhere, 8 times the solution for s = 0.1, and
/// for s = 10^4 it had not grown to the solution's size. The solution being linear in the data,
/// <see cref="PinnSolver.Solve"/> and HyPINO's fine-tuning train on the problem divided by this
/// factor and multiply the answer back.
/// </summary>
/// <remarks>
/// Solutions are about the size of the boundary data, or a half to a twentieth of the data's size
/// <see cref="Problem2D.DataSize"/> where a source drives them (a tenth of its largest value; less
/// where the source is rough or narrow), so data sized <see cref="Smallest"/> to <see cref="Largest"/>
/// put the solution near 1 and train as given. At 1500 + 150 steps, helmholtz (data size 16.6) and
/// poisson-gauss (10) trained as given were 3 to 7 times more accurate than with their data
/// divided by 10, and poisson-l (0.1) 2 to 3 times more accurate with its data multiplied by 10.
/// </remarks>
public static class PinnDataScale
{
    /// <summary>The grid the data are sized on (<see cref="Problem2D.DataSize"/>).</summary>
    public const int SizingGrid = 65;

    /// <summary>The smallest data size trained as given, 10^−0.5.</summary>
    public static double Smallest { get; } = Math.Pow(10, -0.5);

    /// <summary>The data size from which on the data are scaled down, 10^1.5.</summary>
    public static double Largest { get; } = Math.Pow(10, 1.5);

    /// <summary>
    /// 1 for data sized from <see cref="Smallest"/> up to (not including) <see cref="Largest"/>, and
    /// for a problem without data; otherwise the power of ten that brings the data's size into
    /// [1, 10), so that the problem times any power of ten outside that range trains alike.
    /// </summary>
    public static double Of(Problem2D problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        double size = problem.DataSize(SizingGrid);
        if (!(size > 0 && double.IsFinite(size)) || (size >= Smallest && size < Largest)) return 1;
        double exponent = Math.Floor(Math.Log10(size));
        return Math.Pow(10, exponent);
    }
}
