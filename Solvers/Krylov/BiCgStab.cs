using System.Diagnostics;
using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Krylov;

/// <summary>
/// Right-preconditioned BiCGStab for non-symmetric or indefinite operators
/// (van der Vorst, SIAM J. Sci. Stat. Comput. 13, 1992; Saad 2003, alg. 7.7 with right preconditioning).
/// </summary>
public sealed class BiCgStab(KrylovOptions? options = null)
{
    readonly KrylovOptions _options = (options ?? new KrylovOptions()).Validated();

    /// <summary>Solves A x = b from the initial guess in x.</summary>
    public SolveResult Solve(ILinearOperator a, IPreconditioner m, double[] b, double[] x)
    {
        var watch = Stopwatch.StartNew();
        int n = a.Size;
        var r = new double[n];
        var rHat = new double[n];
        var p = new double[n];
        var v = new double[n];
        var s = new double[n];
        var t = new double[n];
        var pHat = new double[n];
        var sHat = new double[n];
        a.Apply(x, v);
        for (int i = 0; i < n; i++) r[i] = b[i] - v[i];
        Array.Copy(r, rHat, n);
        Array.Clear(v);
        var stop = _options.Stop;
        double bNorm = VectorOps.Norm(b);
        var history = new List<double> { VectorOps.Norm(r) };
        ConvergenceReason? reason = stop.Check(history[0], 0, bNorm, history[0]);
        double rho = 1, alpha = 1, omega = 1;
        int k = 0;
        while (reason is null)
        {
            double rhoNew = VectorOps.Dot(rHat, r);
            if (rhoNew == 0 || omega == 0) { reason = ConvergenceReason.DivergedBreakdown; break; }
            double beta = rhoNew / rho * (alpha / omega);
            rho = rhoNew;
            for (int i = 0; i < n; i++) p[i] = r[i] + beta * (p[i] - omega * v[i]);
            m.Apply(p, pHat);
            a.Apply(pHat, v);
            double rv = VectorOps.Dot(rHat, v);
            if (rv == 0) { reason = ConvergenceReason.DivergedBreakdown; break; }
            alpha = rho / rv;
            for (int i = 0; i < n; i++) s[i] = r[i] - alpha * v[i];
            k++;
            double sNorm = VectorOps.Norm(s);
            if (stop.Check(sNorm, 0, bNorm, history[0]) is { } early && early.IsConverged())
            {
                VectorOps.Axpy(alpha, pHat, x);
                history.Add(sNorm);
                reason = early;
                break;
            }
            m.Apply(s, sHat);
            a.Apply(sHat, t);
            double tt = VectorOps.Dot(t, t);
            omega = tt > 0 ? VectorOps.Dot(t, s) / tt : 0;
            for (int i = 0; i < n; i++)
            {
                x[i] += alpha * pHat[i] + omega * sHat[i];
                r[i] = s[i] - omega * t[i];
            }
            history.Add(VectorOps.Norm(r));
            reason = stop.Check(history[^1], k, bNorm, history[0]);
        }
        return new SolveResult { Iterations = k, ResidualHistory = history, Reason = reason.Value, SolveSeconds = watch.Elapsed.TotalSeconds, Criterion = stop.Description };
    }
}
