using System.Diagnostics;
using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Krylov;

/// <summary>
/// Preconditioned conjugate gradients for symmetric positive definite operators with a symmetric
/// positive definite preconditioner (Hestenes and Stiefel 1952; Saad, Iterative Methods for Sparse
/// Linear Systems, 2003, alg. 9.1). Stops on the true-residual recurrence norm ||r||.
/// </summary>
public sealed class ConjugateGradient(KrylovOptions? options = null)
{
    readonly KrylovOptions _options = options ?? new KrylovOptions();

    /// <summary>Solves A x = b from the initial guess in x.</summary>
    public SolveResult Solve(ILinearOperator a, IPreconditioner m, double[] b, double[] x)
    {
        var watch = Stopwatch.StartNew();
        int n = a.Size;
        var r = new double[n];
        var z = new double[n];
        var p = new double[n];
        var q = new double[n];
        a.Apply(x, q);
        for (int i = 0; i < n; i++) r[i] = b[i] - q[i];
        var stop = new StoppingTest(_options, VectorOps.Norm(b));
        var history = new List<double> { VectorOps.Norm(r) };
        int k = 0;
        ConvergenceReason? reason = stop.Check(history[0], 0);
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
            VectorOps.Axpy(alpha, p, x);
            VectorOps.Axpy(-alpha, q, r);
            k++;
            history.Add(VectorOps.Norm(r));
            reason = stop.Check(history[^1], k);
        }
        return new SolveResult { Iterations = k, ResidualHistory = history, Reason = reason.Value, SolveSeconds = watch.Elapsed.TotalSeconds };
    }
}
