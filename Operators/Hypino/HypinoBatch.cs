using PdeOps.Operators.Pinn;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;
using PdeOps.Physics.Symbolic;
using PdeOps.Solvers.Elliptic;
using static TorchSharp.torch;

namespace PdeOps.Operators.Hypino;

/// <summary>
/// Problems as a <see cref="HypinoNetwork"/> reads them and as its loss scores them, in the layout of
/// <c>pdeops generate mms</c> files: the five grid channels (batch, 5, R, R), the operator's
/// coefficients (batch, 6), interior points (batch, P, 8: x, y, f, u, ux, uy, uxx, uyy; the u terms
/// zero without a known solution), boundary points (batch, Q, 8: x, y, nx, ny, g_D, m_D, g_N, m_N)
/// and whether each problem has a known solution (batch; 1 or 0), and, where that differs, whether its
/// derivatives are known too (a solution from a classical solver gives u alone; null: as <c>Supervised</c>).
/// </summary>
public sealed record HypinoBatch(Tensor Channels, Tensor Coefficients, Tensor Interior, Tensor Boundary, Tensor Supervised,
    Tensor? DerivativesSupervised = null) : IDisposable
{
    /// <summary>Releases the batch's tensors.</summary>
    public void Dispose()
    {
        foreach (var t in Tensors) t.Dispose();
    }

    IEnumerable<Tensor> Tensors => new[] { Channels, Coefficients, Interior, Boundary, Supervised, DerivativesSupervised }.OfType<Tensor>();

    // Keeps the batch's tensors alive past the dispose scope that made them.
    internal HypinoBatch Kept()
    {
        foreach (var t in Tensors) t.MoveToOuterDisposeScope();
        return this;
    }

    /// <summary>Problems in the batch.</summary>
    public long Count => Channels.shape[0];

    /// <summary>
    /// Renders <paramref name="problems"/> at <paramref name="resolution"/> and samples their points
    /// from <paramref name="seed"/> (problem i from (seed, i)); a problem with an exact solution is supervised
    /// in u and its derivatives, one without but with an entry in <paramref name="solutions"/> (a
    /// classical solution) in u alone.
    /// </summary>
    public static HypinoBatch FromProblems(IReadOnlyList<Problem2D> problems, int resolution, int interior, int boundary, long seed,
        IReadOnlyList<MaskedSolution?>? solutions = null)
    {
        if (solutions is not null && solutions.Count != problems.Count) throw new ArgumentException($"{solutions.Count} solutions for {problems.Count} problems", nameof(solutions));
        if (problems.Count == 0) throw new ArgumentException("a batch needs at least one problem", nameof(problems));
        using var scope = NewDisposeScope();
        var channels = new List<Tensor>();
        var coefficients = new List<Tensor>();
        var inside = new List<Tensor>();
        var edges = new List<Tensor>();
        var supervised = new float[problems.Count];
        var derivativesKnown = new float[problems.Count];
        for (int i = 0; i < problems.Count; i++)
        {
            var problem = problems[i];
            var rendered = ProblemRendering.Render(problem, resolution);
            channels.Add(ChannelsOf(rendered));
            coefficients.Add(tensor(problem.Operator.Coefficients().Select(c => (float)c).ToArray()));
            using var points = new PinnCollocation(problem, interior, boundary, seed * 1_000_003 + i);
            var (x, y) = (points.Interior[TensorIndex.Colon, 0], points.Interior[TensorIndex.Colon, 1]);
            Tensor[] truth = [.. Enumerable.Range(0, 5).Select(_ => zeros_like(x))];
            if (problem.Exact is { } u)
            {
                truth = [.. Derivatives(u).Select(d => ExprTensor.Evaluate(d, x.to(float64), y.to(float64)).to(float32))];
                (supervised[i], derivativesKnown[i]) = (1, 1);
            }
            else if (solutions?[i] is { } solution && SolutionAt(solution, x, y) is { } values)
            {
                truth[0] = values;
                supervised[i] = 1;
            }
            inside.Add(stack([x, y, points.Source, .. truth], 1));
            edges.Add(stack([points.Boundary[TensorIndex.Colon, 0], points.Boundary[TensorIndex.Colon, 1], points.Normals[TensorIndex.Colon, 0],
                points.Normals[TensorIndex.Colon, 1], points.DirichletValue, points.DirichletMask, points.NeumannValue, points.NeumannMask], 1));
        }
        return new HypinoBatch(stack(channels), stack(coefficients), stack(inside), stack(edges), tensor(supervised), tensor(derivativesKnown)).Kept();
    }

    // The classical solution at the points, or null where it has no value at one of them.
    static Tensor? SolutionAt(MaskedSolution solution, Tensor x, Tensor y)
    {
        var (xs, ys) = (x.to(float64).data<double>().ToArray(), y.to(float64).data<double>().ToArray());
        var values = new float[xs.Length];
        for (int k = 0; k < xs.Length; k++)
        {
            var v = solution.ValueAt(xs[k], ys[k]);
            if (double.IsNaN(v)) return null;
            values[k] = (float)v;
        }
        return tensor(values, device: x.device);
    }

    /// <summary>The five channels of <paramref name="rendered"/> as one tensor (5, R, R).</summary>
    internal static Tensor ChannelsOf(RenderedProblem rendered)
    {
        int r = rendered.Resolution;
        return stack(rendered.Channels.Select(c => tensor(c).reshape(r, r)).ToArray());
    }

    // u, ux, uy, uxx, uyy.
    static Expr[] Derivatives(Expr u)
    {
        var (ux, uy) = (u.Derivative("x"), u.Derivative("y"));
        return [u, ux, uy, ux.Derivative("x"), uy.Derivative("y")];
    }
}
