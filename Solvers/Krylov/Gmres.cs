using System.Diagnostics;
using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Krylov;

/// <summary>
/// Restarted GMRES(m) with right preconditioning, modified Gram-Schmidt and Givens rotations
/// (Saad and Schultz, SIAM J. Sci. Stat. Comput. 7, 1986; Saad 2003, alg. 9.5). With right
/// preconditioning the monitored residual is the residual of A x = b itself; at each restart the
/// true residual is recomputed and replaces the recurrence estimate in the history.
/// </summary>
public sealed class Gmres(KrylovOptions? options = null)
{
    readonly KrylovOptions _options = (options ?? new KrylovOptions()).Validated();

    /// <summary>Solves A x = b from the initial guess in x.</summary>
    public SolveResult Solve(ILinearOperator a, IPreconditioner m, double[] b, double[] x)
    {
        var watch = Stopwatch.StartNew();
        int n = a.Size, restart = Math.Max(1, _options.Restart);
        var v = new double[restart + 1][];
        for (int i = 0; i <= restart; i++) v[i] = new double[n];
        var h = new double[restart + 1, restart];
        var cs = new double[restart];
        var sn = new double[restart];
        var g = new double[restart + 1];
        var w = new double[n];
        var z = new double[n];
        var stop = _options.Stop;
        double bNorm = VectorOps.Norm(b);
        var history = new List<double>();
        int total = 0;
        ConvergenceReason? reason;
        while (true)
        {
            a.Apply(x, w);
            for (int i = 0; i < n; i++) v[0][i] = b[i] - w[i];
            double beta = VectorOps.Norm(v[0]);
            if (history.Count == 0) history.Add(beta);
            else history[^1] = beta;
            reason = stop.Check(beta, total, bNorm, history[0]);
            if (reason is not null) break;
            for (int i = 0; i < n; i++) v[0][i] /= beta;
            Array.Clear(g);
            g[0] = beta;
            int cols = 0;
            for (int j = 0; j < restart; j++)
            {
                m.Apply(v[j], z);
                a.Apply(z, w);
                for (int i = 0; i <= j; i++)
                {
                    h[i, j] = VectorOps.Dot(w, v[i]);
                    VectorOps.Axpy(-h[i, j], v[i], w);
                }
                double next = VectorOps.Norm(w);
                h[j + 1, j] = next;
                if (next > 0)
                    for (int i = 0; i < n; i++) v[j + 1][i] = w[i] / next;
                for (int i = 0; i < j; i++)
                {
                    double t = cs[i] * h[i, j] + sn[i] * h[i + 1, j];
                    h[i + 1, j] = -sn[i] * h[i, j] + cs[i] * h[i + 1, j];
                    h[i, j] = t;
                }
                double d = Math.Sqrt(h[j, j] * h[j, j] + next * next);
                if (d == 0) { reason = ConvergenceReason.DivergedBreakdown; break; }
                cs[j] = h[j, j] / d;
                sn[j] = next / d;
                h[j, j] = d;
                h[j + 1, j] = 0;
                g[j + 1] = -sn[j] * g[j];
                g[j] *= cs[j];
                cols = j + 1;
                total++;
                history.Add(Math.Abs(g[j + 1]));
                // Happy breakdown (next == 0) means the solution lies in the current space.
                if (stop.Check(history[^1], total, bNorm, history[0]) is not null || next == 0) break;
            }
            // x += M^-1 V y where H y = g (upper triangular, cols columns).
            var y = new double[cols];
            for (int i = cols - 1; i >= 0; i--)
            {
                double s = g[i];
                for (int k = i + 1; k < cols; k++) s -= h[i, k] * y[k];
                y[i] = s / h[i, i];
            }
            Array.Clear(w);
            for (int i = 0; i < cols; i++) VectorOps.Axpy(y[i], v[i], w);
            m.Apply(w, z);
            VectorOps.Axpy(1, z, x);
            if (reason is not null) break;
        }
        return new SolveResult { Iterations = total, ResidualHistory = history, Reason = reason.Value, SolveSeconds = watch.Elapsed.TotalSeconds, Criterion = stop.Description };
    }
}
