using System.Diagnostics;
using PdeOps.Physics.Problems;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Elliptic;
using PdeOps.Solvers.Krylov;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.TimeStepping;

/// <summary>Implicit time discretisations of the heat equation.</summary>
public enum HeatScheme
{
    /// <summary>Backward Euler: first order, L-stable.</summary>
    BackwardEuler,
    /// <summary>Crank-Nicolson: second order, A-stable.</summary>
    CrankNicolson,
}

/// <summary>Options of <see cref="HeatSolver2D"/>.</summary>
public sealed record HeatOptions
{
    /// <summary>Time step.</summary>
    public required double TimeStep { get; init; }
    /// <summary>Number of steps.</summary>
    public required int Steps { get; init; }
    /// <summary>Scheme.</summary>
    public HeatScheme Scheme { get; init; } = HeatScheme.CrankNicolson;
    /// <summary>Relative tolerance of each implicit solve.</summary>
    public double RelativeTolerance { get; init; } = 1e-10;
    /// <summary>Iteration limit of each implicit solve (preconditioned CG iterations).</summary>
    public int MaxIterations { get; init; } = 500;
    /// <summary>Steps between stored snapshots (the final state is always stored).</summary>
    public int RecordEvery { get; init; } = 0;
    /// <summary>Called with (steps done, total steps) after each step, for progress displays; null for none.</summary>
    public Action<int, int>? Progress { get; init; }
    /// <summary>Multigrid options of the preconditioner (post-smoothing defaults to 2, a symmetric cycle).</summary>
    public MultigridOptions Multigrid { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public HeatOptions Validated()
    {
        if (!(TimeStep > 0) || Steps < 1 || MaxIterations < 1)
            throw new ArgumentException("the heat solver needs a positive time step, at least one step and an iteration limit of at least 1");
        if (!(RelativeTolerance >= 0)) throw new ArgumentException("the tolerance must be a non-negative number");
        if (RecordEvery < 0) throw new ArgumentException("RecordEvery must be non-negative");
        ArgumentNullException.ThrowIfNull(Multigrid);
        Multigrid.Validated();
        return this;
    }
}

/// <summary>States of a heat run: the final field, snapshots, and per-step solver reports.</summary>
public sealed record HeatSolution2D(double[,] Final, IReadOnlyList<(double Time, double[,] U)> Snapshots, IReadOnlyList<SolveResult> Steps, double Seconds);

/// <summary>
/// The heat equation u_t = div(a grad u) + f(x, y, t) with the spatial discretisation of
/// <see cref="Discretization2D"/> and the theta method in time: each step solves
/// (M / (theta dt) + A) u^{n+1} = M u^n / (theta dt) + b^{n+1} - (1 - theta) / theta (A u^n - b^n)
/// by conjugate gradients preconditioned with one multigrid cycle, built once for the run.
/// Boundary data are constant in time; a step whose solve does not converge stops the run with
/// <see cref="SolverDidNotConvergeException"/>, whose <see cref="SolverDidNotConvergeException.State"/>
/// holds the field at that step's last iterate.
/// </summary>
public static class HeatSolver2D
{
    /// <summary>
    /// Bytes a run on <paramref name="intervalsX"/> x <paramref name="intervalsY"/> intervals allocates:
    /// two assembled systems, the multigrid hierarchy of the step operator, the CG and step vectors,
    /// a few vertex fields, the per-step solver reports (<paramref name="options"/>.Steps of them)
    /// and the recorded snapshots.
    /// </summary>
    public static double EstimateBytes(int intervalsX, int intervalsY, HeatOptions options)
    {
        double n = ((double)intervalsX + 1) * ((double)intervalsY + 1);
        double snapshots = options.RecordEvery > 0 ? (double)options.Steps / options.RecordEvery : 0;
        const double ReportBytes = 256;
        return MemoryEstimate.Double * n * (2 * 10 + 17 * MemoryEstimate.HierarchyFactor(2) + 4 + 4 + 4 + snapshots)
            + ReportBytes * options.Steps;
    }

    /// <summary>Integrates from <paramref name="initial"/> (vertex values, [y, x]) with diffusion a and boundary data of <paramref name="spatial"/>.</summary>
    /// <param name="spatial">Diffusion a, boundary conditions and data; its c and f are ignored.</param>
    /// <param name="initial">u at t = 0 on the (My + 1) x (Mx + 1) vertices.</param>
    /// <param name="options">Time step, step count, scheme and solver tolerance.</param>
    /// <param name="forcing">f(x, y, t), or null for none.</param>
    public static HeatSolution2D Solve(EllipticProblem2D spatial, double[,] initial, HeatOptions options,
        Func<double, double, double, double>? forcing = null)
    {
        options.Validated();
        var watch = Stopwatch.StartNew();
        double theta = options.Scheme == HeatScheme.CrankNicolson ? 0.5 : 1.0, dt = options.TimeStep;
        int mx = spatial.IntervalsX, my = spatial.IntervalsY;
        var zero = new double[my + 1, mx + 1];
        EllipticProblem2D With(double[,] c, double[,] f) =>
            new(mx, my, spatial.A, c, f, spatial.Boundaries, spatial.BoundaryData, spatial.LengthX, spatial.LengthY);
        double[,] Constant(double v) { var a = new double[my + 1, mx + 1]; for (int j = 0; j <= my; j++) for (int i = 0; i <= mx; i++) a[j, i] = v; return a; }
        double[,] ForcingAt(double t)
        {
            if (forcing is null) return zero;
            var f = new double[my + 1, mx + 1];
            for (int j = 0; j <= my; j++) for (int i = 0; i <= mx; i++) f[j, i] = forcing(i * spatial.Hx, j * spatial.Hy, t);
            return f;
        }

        var diffusion = Discretization2D.Assemble(With(zero, zero));
        var stepSystem = Discretization2D.Assemble(With(Constant(1 / (theta * dt)), zero));
        var a = diffusion.Operator;
        var l = stepSystem.Operator;
        int n = a.Size;
        var massOverThetaDt = new double[n];
        for (int p = 0; p < n; p++) massOverThetaDt[p] = l.Diagonal[p] - a.Diagonal[p];
        var mg = new StencilMultigrid2D(l, options.Multigrid);
        var cg = new ConjugateGradient(new KrylovOptions { RelativeTolerance = options.RelativeTolerance, MaxIterations = options.MaxIterations });

        var u = Unknowns(diffusion, initial);
        var rhs = new double[n];
        var au = new double[n];
        var bNow = diffusion.RightHandSide;
        var snapshots = new List<(double, double[,])>();
        var reports = new List<SolveResult>();
        for (int step = 1; step <= options.Steps; step++)
        {
            double t = step * dt;
            var bNext = forcing is null ? diffusion.RightHandSide : Discretization2D.Assemble(With(zero, ForcingAt(t))).RightHandSide;
            a.Apply(u, au);
            double explicitWeight = (1 - theta) / theta;
            for (int p = 0; p < n; p++)
                rhs[p] = massOverThetaDt[p] * u[p] + bNext[p] - explicitWeight * (au[p] - bNow[p]);
            var report = cg.Solve(l, mg, rhs, u);
            if (!report.Converged)
                throw new SolverDidNotConvergeException($"heat step {step} of {options.Steps} (t = {t:G6})", report)
                {
                    State = Discretization2D.ToVertexField(diffusion, u),
                };
            reports.Add(report);
            bNow = bNext;
            options.Progress?.Invoke(step, options.Steps);
            if (options.RecordEvery > 0 && step % options.RecordEvery == 0 && step != options.Steps)
                snapshots.Add((t, Discretization2D.ToVertexField(diffusion, u)));
        }
        var final = Discretization2D.ToVertexField(diffusion, u);
        snapshots.Add((options.Steps * dt, final));
        return new HeatSolution2D(final, snapshots, reports, watch.Elapsed.TotalSeconds);
    }

    static double[] Unknowns(DiscreteEllipticSystem system, double[,] vertexField)
    {
        var op = system.Operator;
        var u = new double[op.Size];
        for (int j = 0; j < op.Ny; j++)
            for (int i = 0; i < op.Nx; i++) u[j * op.Nx + i] = vertexField[op.Y.FirstVertex + j, op.X.FirstVertex + i];
        return u;
    }
}
