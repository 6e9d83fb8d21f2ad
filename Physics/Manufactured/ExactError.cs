namespace PdeOps.Physics.Manufactured;

/// <summary>
/// The maximum-norm error max |u - u_exact| of a discrete solution against an exact solution
/// sampled at the grid points: the figure solvers report when the exact solution is known.
/// Arrays are row-major, [y, x] in 2D and [z, y, x] in 3D. A NaN anywhere makes the error NaN.
/// </summary>
public static class ExactError
{
    /// <summary>max over j, i of |u[j, i] - exact(x[i], y[j])|.</summary>
    /// <exception cref="ArgumentException">The coordinate counts do not match the shape of <paramref name="u"/>.</exception>
    public static double Max(double[,] u, Func<double, double, double> exact, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int ny = u.GetLength(0), nx = u.GetLength(1);
        Require(nx, x, "x");
        Require(ny, y, "y");
        double worst = 0;
        for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++) worst = Math.Max(worst, Math.Abs(u[j, i] - exact(x[i], y[j])));
        return worst;
    }

    /// <summary>max over k, j, i of |u[k, j, i] - exact(x[i], y[j], z[k])|.</summary>
    /// <exception cref="ArgumentException">The coordinate counts do not match the shape of <paramref name="u"/>.</exception>
    public static double Max(double[,,] u, Func<double, double, double, double> exact,
        IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double> z)
    {
        int nz = u.GetLength(0), ny = u.GetLength(1), nx = u.GetLength(2);
        Require(nx, x, "x");
        Require(ny, y, "y");
        Require(nz, z, "z");
        double worst = 0;
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++) worst = Math.Max(worst, Math.Abs(u[k, j, i] - exact(x[i], y[j], z[k])));
        return worst;
    }

    /// <summary>The error of <paramref name="u"/> given at all vertices of a uniform grid of the unit square, boundary included (x_i = i / (nx - 1)).</summary>
    public static double MaxAtUnitVertices(double[,] u, Func<double, double, double> exact) =>
        Max(u, exact, UnitVertices(u.GetLength(1)), UnitVertices(u.GetLength(0)));

    /// <summary>The error of <paramref name="u"/> given at all vertices of a uniform grid of the unit cube, boundary included.</summary>
    public static double MaxAtUnitVertices(double[,,] u, Func<double, double, double, double> exact) =>
        Max(u, exact, UnitVertices(u.GetLength(2)), UnitVertices(u.GetLength(1)), UnitVertices(u.GetLength(0)));

    /// <summary>n equally spaced points i / (n - 1) on [0, 1], both ends included.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 2.</exception>
    public static double[] UnitVertices(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        var points = new double[count];
        for (int i = 0; i < count; i++) points[i] = (double)i / (count - 1);
        return points;
    }

    static void Require(int count, IReadOnlyList<double> coordinates, string axis)
    {
        if (coordinates.Count != count)
            throw new ArgumentException($"{coordinates.Count} {axis} coordinates for {count} points along {axis}", axis);
    }
}
