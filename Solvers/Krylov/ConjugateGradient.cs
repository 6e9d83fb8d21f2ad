using System.Diagnostics;
using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Krylov;

/// <summary>
/// Preconditioned conjugate gradients for symmetric positive definite operators with a symmetric
/// positive definite preconditioner (Hestenes and Stiefel 1952; Saad, Iterative Methods for Sparse
/// Linear Systems, 2003, alg. 9.1). Stops by <see cref="StopCriterion"/> on the recurrence norm ||r||.
/// </summary>
public sealed class ConjugateGradient(KrylovOptions? options = null)
{
    readonly KrylovOptions _options = (options ?? new KrylovOptions()).Validated();

    /// <summary>Solves A x = b from the initial guess in x.</summary>
    public SolveResult Solve(ILinearOperator a, IPreconditioner m, double[] b, double[] x) => Solve(a, m, b, x, new Workspace(a.Size));

    /// <summary>The four work vectors of a solve, kept by callers that solve many systems of one size.</summary>
    internal sealed class Workspace(int n)
    {
        public double[] R { get; } = new double[n];
        public double[] Z { get; } = new double[n];
        public double[] P { get; } = new double[n];
        public double[] Q { get; } = new double[n];
    }

    /// <summary>
    /// Solves A x = b from the initial guess in x with the given work vectors. <paramref name="accept"/>,
    /// when given, is asked with (x, r) before the first and after every iteration, ahead of the stop
    /// criterion; true stops the solve as <see cref="ConvergenceReason.ConvergedErrorBound"/> (a
    /// convergence test of the caller's, like PETSc's KSPSetConvergenceTest).
    /// </summary>
    internal SolveResult Solve(ILinearOperator a, IPreconditioner m, double[] b, double[] x, Workspace work, Func<double[], double[], bool>? accept = null)
    {
        var watch = Stopwatch.StartNew();
        int n = a.Size;
        double[] r = work.R, z = work.Z, p = work.P, q = work.Q;
        // A zero guess (the common case) needs no operator application: r = b.
        if (x.AsSpan().ContainsAnyExcept(0.0))
        {
            a.Apply(x, q);
            for (int i = 0; i < n; i++) r[i] = b[i] - q[i];
        }
        else Array.Copy(b, r, n);
        var stop = _options.Stop;
        double bNorm = VectorOps.Norm(b);
        var history = new List<double> { VectorOps.Norm(r) };
        int k = 0;
        ConvergenceReason? reason = accept?.Invoke(x, r) == true ? ConvergenceReason.ConvergedErrorBound : stop.Check(history[0], 0, bNorm, history[0]);
        double rz = 0;
        while (reason is null)
        {
            m.Apply(r, z);
            double rzNew = VectorOps.Dot(r, z);
            if (k == 0) Array.Copy(z, p, n);
            else VectorOps.Xpby(z, rzNew / rz, p);
            rz = rzNew;
            a.Apply(p, q);
            double pq = VectorOps.Dot(p, q);
            if (!(pq > 0) || !(rz > 0)) { reason = ConvergenceReason.DivergedBreakdown; break; }
            double alpha = rz / pq;
            double rr = 0;
            for (int i = 0; i < n; i++)
            {
                x[i] += alpha * p[i];
                double ri = r[i] - alpha * q[i];
                r[i] = ri;
                rr += ri * ri;
            }
            k++;
            history.Add(Math.Sqrt(rr));
            reason = accept?.Invoke(x, r) == true ? ConvergenceReason.ConvergedErrorBound : stop.Check(history[^1], k, bNorm, history[0]);
        }
        return new SolveResult
        {
            Iterations = k,
            ResidualHistory = history,
            Reason = reason.Value,
            SolveSeconds = watch.Elapsed.TotalSeconds,
            Criterion = stop.Description,
        };
    }
}
