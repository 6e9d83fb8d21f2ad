using System.Runtime.InteropServices;
using PdeOps.Physics.Problems;

namespace PdeOps.Solvers.Elliptic;

/// <summary>A discretised elliptic problem: the operator, its right-hand side, and the grid it lives on.</summary>
public sealed record DiscreteEllipticSystem(StencilOperator2D Operator, double[] RightHandSide, EllipticProblem2D Problem);

/// <summary>
/// Vertex-centred finite volumes for -div(a grad u) + c u = f (the five-point scheme of
/// Varga, Matrix Iterative Analysis, ch. 6): each unknown owns the dual cell around its vertex,
/// halved on Neumann sides; face coefficients are harmonic means of the two vertex values of a,
/// which keeps flux continuity for jumping coefficients. Rows are divided by hx hy, so interior
/// rows equal the usual finite-difference stencil and the matrix is symmetric. Dirichlet values
/// move to the right-hand side; Neumann fluxes enter through the boundary faces.
/// </summary>
public static class Discretization2D
{
    /// <summary>Assembles the operator and right-hand side.</summary>
    public static DiscreteEllipticSystem Assemble(EllipticProblem2D problem) => Assemble(problem, interiorShortcut: true);

    /// <summary>
    /// <see cref="Assemble(EllipticProblem2D)"/>; with <paramref name="interiorShortcut"/>, rows of
    /// vertices whose four neighbours all carry unknowns (no boundary, no periodic wrap) take
    /// <see cref="AssembleInterior"/>, which gives the same numbers to the bit.
    /// </summary>
    internal static DiscreteEllipticSystem Assemble(EllipticProblem2D problem, bool interiorShortcut)
    {
        var bc = problem.Boundaries;
        var (xAxis, yAxis) = Axes(problem);
        var op = new StencilOperator2D(xAxis, yAxis);
        var rhs = new double[op.Size];
        int mx = problem.IntervalsX, my = problem.IntervalsY;
        double hx = problem.Hx, hy = problem.Hy;
        var a = problem.A;
        var g = problem.BoundaryData;
        var c = op.Coefficients;
        // Unknowns i (along x) and j (along y) whose two neighbours on that axis are unknowns too.
        var (firstX, lastX) = InteriorRun(xAxis);
        var (firstY, lastY) = InteriorRun(yAxis);
        var faces = interiorShortcut && lastX >= firstX ? new InteriorFaces(op.Nx) : null;
        for (int j = 0; j < op.Ny; j++)
        {
            int vy = yAxis.FirstVertex + j;
            double wy = !yAxis.Periodic && (vy == 0 || vy == my) ? 0.5 : 1.0;
            if (faces is null || j < firstY || j > lastY)
            {
                for (int i = 0; i < op.Nx; i++) Vertex(i, j, vy, wy);
                continue;
            }
            for (int i = 0; i < firstX; i++) Vertex(i, j, vy, wy);
            AssembleInterior(problem, op, rhs, vy, xAxis.FirstVertex, j, firstX, lastX, faces, continuesRowBelow: j > firstY);
            for (int i = lastX + 1; i < op.Nx; i++) Vertex(i, j, vy, wy);
        }
        return new DiscreteEllipticSystem(op, rhs, problem);

        // Unknown i of row j, with every test: boundary faces, Dirichlet neighbours, periodic wraps, Neumann data.
        void Vertex(int i, int j, int vy, double wy)
        {
            int vx = xAxis.FirstVertex + i, p = j * op.Nx + i;
            double wx = !xAxis.Periodic && (vx == 0 || vx == mx) ? 0.5 : 1.0;
            double x = vx * hx, y = vy * hy;
            double diag = problem.C[vy, vx] * wx * wy;
            double b = problem.F[vy, vx] * wx * wy;
            // Faces towards the four neighbours, each weighted per unit coefficient by the length of
            // the face over the spacing across it.
            foreach (var (di, dj) in Neighbours)
            {
                double scale = di != 0 ? wy / (hx * hx) : wx / (hy * hy);
                int nx = vx + di, ny = vy + dj;
                bool alongX = di != 0;
                var axis = alongX ? xAxis : yAxis;
                int nv = alongX ? nx : ny, m = alongX ? mx : my;
                if (!axis.Periodic && (nv < 0 || nv > m)) continue; // no face beyond the domain
                int wrapX = xAxis.Periodic ? ((nx % mx) + mx) % mx : nx;
                int wrapY = yAxis.Periodic ? ((ny % my) + my) % my : ny;
                double face = scale * Harmonic(a[vy, vx], a[wrapY, wrapX]);
                diag += face;
                int q = axis.UnknownOf(nv);
                if (q >= 0) c[(dj + 1) * 3 + di + 1][p] -= face;
                else b += face * g(problem.DirichletSideOf(wrapX, wrapY)!.Value, wrapX * hx, wrapY * hy); // known value
            }
            // Neumann boundary faces: outward flux a du/dn = g through the half-length boundary segment.
            if (vx == 0 && bc.West == BoundaryKind.Neumann) b += g(BoundarySide.West, x, y) * wy / hx;
            if (vx == mx && bc.East == BoundaryKind.Neumann) b += g(BoundarySide.East, x, y) * wy / hx;
            if (vy == 0 && bc.South == BoundaryKind.Neumann) b += g(BoundarySide.South, x, y) * wx / hy;
            if (vy == my && bc.North == BoundaryKind.Neumann) b += g(BoundarySide.North, x, y) * wx / hy;
            c[StencilOperator2D.Centre][p] += diag;
            rhs[p] = b;
        }
    }

    /// <summary>
    /// Expands the unknowns to the full (My + 1) x (Mx + 1) vertex array, filling Dirichlet
    /// vertices with their data and periodic copies with their images.
    /// </summary>
    public static double[,] ToVertexField(DiscreteEllipticSystem system, double[] u) => ToVertexField(system.Problem, u);

    /// <summary><see cref="ToVertexField(DiscreteEllipticSystem, double[])"/> from the problem alone, with no assembly.</summary>
    internal static double[,] ToVertexField(EllipticProblem2D pr, double[] u) => ToVertexField(pr, u, new double[pr.IntervalsY + 1, pr.IntervalsX + 1]);

    /// <summary>
    /// <see cref="ToVertexField(EllipticProblem2D, double[])"/> written into <paramref name="field"/>, (My + 1) x (Mx + 1),
    /// which it returns; <paramref name="u"/> may be longer than the unknowns (a pooled array).
    /// </summary>
    internal static double[,] ToVertexField(EllipticProblem2D pr, double[] u, double[,] field)
    {
        var (xAxis, yAxis) = Axes(pr);
        int mx = pr.IntervalsX, my = pr.IntervalsY, count = xAxis.Count;
        if (field.GetLength(0) != my + 1 || field.GetLength(1) != mx + 1)
            throw new ArgumentException($"the field is {field.GetLength(0)} x {field.GetLength(1)}; the problem's vertex grid is {my + 1} x {mx + 1}", nameof(field));
        var rows = MemoryMarshal.CreateSpan(ref field[0, 0], field.Length);
        // Vertices without an unknown are Dirichlet vertices (periodic images map to unknowns).
        double Vertex(int vx, int vy, int j)
        {
            int i = xAxis.UnknownOf(vx);
            return i >= 0 && j >= 0 ? u[j * count + i] : pr.BoundaryData(pr.DirichletSideOf(vx, vy)!.Value, vx * pr.Hx, vy * pr.Hy);
        }
        for (int vy = 0; vy <= my; vy++)
        {
            var row = rows.Slice(vy * (mx + 1), mx + 1);
            int j = yAxis.UnknownOf(vy);
            if (j < 0)
            {
                for (int vx = 0; vx <= mx; vx++) row[vx] = Vertex(vx, vy, j);
                continue;
            }
            // A row of unknowns is one run of vertices; only the ends may be Dirichlet or periodic images.
            u.AsSpan(j * count, count).CopyTo(row[xAxis.FirstVertex..]);
            for (int vx = 0; vx < xAxis.FirstVertex; vx++) row[vx] = Vertex(vx, vy, j);
            for (int vx = xAxis.LastVertex + 1; vx <= mx; vx++) row[vx] = Vertex(vx, vy, j);
        }
        return field;
    }

    /// <summary>
    /// The unknowns of a full (My + 1) x (Mx + 1) vertex field: the inverse of <see cref="ToVertexField(DiscreteEllipticSystem, double[])"/>
    /// on the vertices that carry an unknown (Dirichlet vertices are dropped).
    /// </summary>
    /// <exception cref="ArgumentException">The field's shape is not the problem's vertex grid.</exception>
    public static double[] ToUnknowns(DiscreteEllipticSystem system, double[,] field) => ToUnknowns(system.Problem, field);

    /// <summary><see cref="ToUnknowns(DiscreteEllipticSystem, double[,])"/> from the problem alone, with no assembly.</summary>
    internal static double[] ToUnknowns(EllipticProblem2D pr, double[,] field)
    {
        var (xAxis, yAxis) = Axes(pr);
        var u = new double[xAxis.Count * yAxis.Count];
        ToUnknowns(pr, field, u);
        return u;
    }

    /// <summary><see cref="ToUnknowns(EllipticProblem2D, double[,])"/> written to the first values of <paramref name="unknowns"/> (a pooled array may be longer).</summary>
    internal static void ToUnknowns(EllipticProblem2D pr, double[,] field, Span<double> unknowns)
    {
        if (field.GetLength(0) != pr.IntervalsY + 1 || field.GetLength(1) != pr.IntervalsX + 1)
            throw new ArgumentException($"the field is {field.GetLength(0)} x {field.GetLength(1)}; the problem's vertex grid is {pr.IntervalsY + 1} x {pr.IntervalsX + 1}", nameof(field));
        var (xAxis, yAxis) = Axes(pr);
        int count = xAxis.Count, stride = pr.IntervalsX + 1;
        var rows = MemoryMarshal.CreateReadOnlySpan(ref field[0, 0], field.Length);
        for (int j = 0; j < yAxis.Count; j++)
            rows.Slice((yAxis.FirstVertex + j) * stride + xAxis.FirstVertex, count).CopyTo(unknowns.Slice(j * count, count));
    }

    // Which vertices of each axis carry unknowns.
    static (AxisLayout X, AxisLayout Y) Axes(EllipticProblem2D problem) =>
        (new AxisLayout(problem.IntervalsX, problem.Boundaries.West, problem.Boundaries.East),
         new AxisLayout(problem.IntervalsY, problem.Boundaries.South, problem.Boundaries.North));

    static readonly (int Di, int Dj)[] Neighbours = [(-1, 0), (1, 0), (0, -1), (0, 1)];

    // The unknowns of an axis whose neighbours on both sides are unknowns without a wrap: none on a periodic axis.
    static (int First, int Last) InteriorRun(AxisLayout axis) => axis.Periodic ? (0, -1) : (1, axis.Count - 2);

    // The face coefficients between an interior row and the rows on either side of it, kept from one
    // row to the next: the face below a row is the face above the row before.
    sealed class InteriorFaces(int count)
    {
        public double[] Below = new double[count], Above = new double[count];
    }

    /// <summary>
    /// Unknowns firstX .. lastX of row j (vertex row vy), all of whose four neighbours are unknowns:
    /// the general loop's numbers with its tests and weights (all 1) left out. Each face is computed
    /// once for the two vertices it joins; the harmonic mean is symmetric to the bit, since 2 p q and
    /// 2 q p round alike and p + q is q + p. The centre sums the same terms in the same order. With
    /// <paramref name="continuesRowBelow"/> row j - 1 was interior too, and its upper faces are this row's lower ones.
    /// </summary>
    static void AssembleInterior(EllipticProblem2D problem, StencilOperator2D op, double[] rhs, int vy, int firstVertexX, int j,
        int firstX, int lastX, InteriorFaces faces, bool continuesRowBelow)
    {
        var a = problem.A;
        var c = op.Coefficients;
        double sx = 1.0 / (problem.Hx * problem.Hx), sy = 1.0 / (problem.Hy * problem.Hy);
        if (continuesRowBelow) (faces.Below, faces.Above) = (faces.Above, faces.Below);
        else
            for (int i = firstX; i <= lastX; i++)
            {
                int vx = firstVertexX + i;
                faces.Below[i] = sy * Harmonic(a[vy, vx], a[vy - 1, vx]);
            }
        for (int i = firstX; i <= lastX; i++)
        {
            int vx = firstVertexX + i;
            faces.Above[i] = sy * Harmonic(a[vy, vx], a[vy + 1, vx]);
        }
        double west = sx * Harmonic(a[vy, firstVertexX + firstX], a[vy, firstVertexX + firstX - 1]);
        for (int i = firstX; i <= lastX; i++)
        {
            int vx = firstVertexX + i, p = j * op.Nx + i;
            double east = sx * Harmonic(a[vy, vx], a[vy, vx + 1]);
            double south = faces.Below[i], north = faces.Above[i];
            double diag = problem.C[vy, vx];
            diag += west;
            diag += east;
            diag += south;
            diag += north;
            // Stencil entries (dj + 1) 3 + di + 1, as the general loop indexes them.
            c[3][p] -= west;
            c[5][p] -= east;
            c[1][p] -= south;
            c[7][p] -= north;
            c[StencilOperator2D.Centre][p] += diag;
            rhs[p] = problem.F[vy, vx];
            west = east;
        }
    }

    static double Harmonic(double p, double q) => 2 * p * q / (p + q);

    /// <summary>A face's coefficient as <see cref="Assemble(EllipticProblem2D)"/> gives it (the harmonic mean of its two vertex values) and its inverse, with one division.</summary>
    internal static (double Face, double Inverse) HarmonicAndInverse(double p, double q)
    {
        double product = 2 * p * q, sum = p + q, inverse = 1 / (product * sum);
        return (product * product * inverse, sum * sum * inverse);
    }
}
