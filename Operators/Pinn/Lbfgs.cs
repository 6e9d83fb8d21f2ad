using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Pinn;

/// <summary>
/// Limited-memory BFGS over a list of parameters (Nocedal and Wright, Numerical Optimization,
/// Algorithm 7.4 two-loop recursion and 7.5), with a backtracking Armijo line search, so that a
/// step never increases the loss. Works in double precision on the flattened parameters.
/// </summary>
public sealed class Lbfgs
{
    readonly Parameter[] parameters;
    readonly int history;
    readonly LinkedList<(double[] S, double[] Y, double Rho)> pairs = new();
    double[]? gradient;
    double loss;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">The parameters to optimise.</param>
    /// <param name="history">Correction pairs kept (m).</param>
    public Lbfgs(IEnumerable<Parameter> parameters, int history = 20)
    {
        this.parameters = parameters.ToArray();
        this.history = history;
    }

    /// <summary>
    /// One iteration. <paramref name="closure"/> must zero the gradients, compute the loss,
    /// call backward and return the loss. Returns the loss after the step, or the loss before it
    /// when no step along the search direction decreased it (the optimiser has converged or stalled).
    /// </summary>
    public (double Loss, bool Moved) Step(Func<Tensor> closure)
    {
        if (gradient is null) (loss, gradient) = Evaluate(closure);
        var direction = Direction(gradient);
        var slope = Dot(gradient, direction);
        if (!(slope < 0))
        {
            pairs.Clear();
            direction = gradient.Select(g => -g).ToArray();
            slope = Dot(gradient, direction);
        }
        var start = Flatten();
        var t = pairs.Count == 0 ? Math.Min(1, 1 / Math.Max(1e-12, gradient.Sum(Math.Abs))) : 1.0;
        for (var trial = 0; trial < 30; t *= 0.5, trial++)
        {
            Assign(start, direction, t);
            var (trialLoss, trialGradient) = Evaluate(closure);
            if (double.IsFinite(trialLoss) && trialLoss <= loss + 1e-4 * t * slope)
            {
                var s = direction.Select(d => t * d).ToArray();
                var y = trialGradient.Zip(gradient, (a, b) => a - b).ToArray();
                var sy = Dot(s, y);
                if (sy > 1e-12)
                {
                    pairs.AddLast((s, y, 1 / sy));
                    if (pairs.Count > history) pairs.RemoveFirst();
                }
                (loss, gradient) = (trialLoss, trialGradient);
                return (loss, true);
            }
        }
        Assign(start, direction, 0);
        return (loss, false);
    }

    double[] Direction(double[] g)
    {
        var q = (double[])g.Clone();
        var alphas = new Stack<double>();
        for (var node = pairs.Last; node is not null; node = node.Previous)
        {
            var (s, y, rho) = node.Value;
            var alpha = rho * Dot(s, q);
            alphas.Push(alpha);
            for (var i = 0; i < q.Length; i++) q[i] -= alpha * y[i];
        }
        if (pairs.Last is { } newest)
        {
            var gamma = Dot(newest.Value.S, newest.Value.Y) / Dot(newest.Value.Y, newest.Value.Y);
            for (var i = 0; i < q.Length; i++) q[i] *= gamma;
        }
        foreach (var (s, y, rho) in pairs)
        {
            var beta = rho * Dot(y, q);
            var alpha = alphas.Pop();
            for (var i = 0; i < q.Length; i++) q[i] += (alpha - beta) * s[i];
        }
        for (var i = 0; i < q.Length; i++) q[i] = -q[i];
        return q;
    }

    (double Loss, double[] Gradient) Evaluate(Func<Tensor> closure)
    {
        using var scope = NewDisposeScope();
        var value = closure().to_type(ScalarType.Float64).item<double>();
        var g = new List<double>();
        foreach (var p in parameters)
        {
            using var grad = p.grad is null ? zeros_like(p) : p.grad.to_type(ScalarType.Float64);
            g.AddRange(grad.contiguous().data<double>().ToArray());
        }
        return (value, g.ToArray());
    }

    double[] Flatten()
    {
        var x = new List<double>();
        foreach (var p in parameters)
        {
            using var d = p.detach().to_type(ScalarType.Float64).contiguous();
            x.AddRange(d.data<double>().ToArray());
        }
        return x.ToArray();
    }

    void Assign(double[] start, double[] direction, double t)
    {
        using var _ = no_grad();
        var offset = 0;
        foreach (var p in parameters)
        {
            var n = (int)p.numel();
            var values = new float[n];
            for (var i = 0; i < n; i++) values[i] = (float)(start[offset + i] + t * direction[offset + i]);
            using var v = tensor(values).reshape(p.shape);
            p.copy_(v);
            offset += n;
        }
    }

    static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
