using PdeOps.Physics.Pde;

namespace PdeOps.Physics.Manufactured;

/// <summary>Which symmetries of a linear problem an answer is averaged over (<see cref="ProblemSymmetry.Of"/>).</summary>
public enum SymmetryAveraging
{
    /// <summary>The problem as given.</summary>
    None,

    /// <summary>The problem and its negative: a linear problem's solution is odd in its data.</summary>
    Sign,

    /// <summary>
    /// The sign times every reflection and transposition of the square that keeps the problem's
    /// class: all eight for an elliptic operator, x ↦ −x alone where y is time (initial data stay
    /// at the bottom).
    /// </summary>
    Full,
}

/// <summary>
/// A symmetry of linear problems on [−1, 1]²: an isometry g of the square (an optional
/// transposition (x, y) ↦ (y, x), then optional negations of x and of y) and a sign s of the data.
/// If u solves the problem P, then v = s · u ∘ g⁻¹ solves g(P): the problem on g(Ω) with data
/// s · (data ∘ g⁻¹) and the operator <see cref="Apply(LinearOperator2D)"/> gives. Values, sources and
/// outward normal derivatives are scalars an isometry carries along unchanged, so the rendered
/// channels transform by permuting the grid (<see cref="Apply(RenderedProblem)"/>). Conversely
/// u(p) = s · v(g(p)): an answer to g(P) answers P, and averaging the answers to every g(P) of a
/// group gives an answer with the problem's own symmetries, whose error is, by the triangle
/// inequality, at most the mean of the mapped-back answers' errors in any norm.
/// </summary>
/// <param name="Transpose">Swap x and y first.</param>
/// <param name="NegateX">Then x ↦ −x.</param>
/// <param name="NegateY">Then y ↦ −y.</param>
/// <param name="NegateData">Multiply the data, and so the solution, by −1.</param>
public readonly record struct ProblemSymmetry(bool Transpose, bool NegateX, bool NegateY, bool NegateData)
{
    /// <summary>The problem as given.</summary>
    public static ProblemSymmetry Identity => default;

    /// <summary>s: −1 where the data are negated, else 1.</summary>
    public double Sign => NegateData ? -1 : 1;

    /// <summary>The same map of points with the data's sign kept.</summary>
    public ProblemSymmetry PointMap => this with { NegateData = false };

    /// <summary>Whether points map to themselves.</summary>
    public bool MovesNoPoint => !(Transpose || NegateX || NegateY);

    /// <summary>
    /// The symmetries <paramref name="averaging"/> names for problems with operator
    /// <paramref name="op"/>, the identity first.
    /// </summary>
    public static IReadOnlyList<ProblemSymmetry> Of(LinearOperator2D op, SymmetryAveraging averaging)
    {
        ArgumentNullException.ThrowIfNull(op);
        var signs = averaging == SymmetryAveraging.None ? new[] { false } : [false, true];
        var maps = new List<ProblemSymmetry>();
        foreach (var transpose in new[] { false, true })
            foreach (var negateY in new[] { false, true })
                foreach (var negateX in new[] { false, true })
                {
                    var map = new ProblemSymmetry(transpose, negateX, negateY, false);
                    if (map.MovesNoPoint || (averaging == SymmetryAveraging.Full && (!op.IsTimeDependent || !(transpose || negateY)))) maps.Add(map);
                }
        return signs.SelectMany(negate => maps.Select(m => m with { NegateData = negate })).ToArray();
    }

    /// <summary>g(x, y): where the point (x, y) of P lies in g(P).</summary>
    public (double X, double Y) Map(double x, double y)
    {
        if (Transpose) (x, y) = (y, x);
        return (NegateX ? -x : x, NegateY ? -y : y);
    }

    /// <summary>g's matrix A, row-major (g(p) = A p).</summary>
    public float[] Matrix()
    {
        float sx = NegateX ? -1 : 1, sy = NegateY ? -1 : 1;
        return Transpose ? [0, sx, sy, 0] : [sx, 0, 0, sy];
    }

    /// <summary>The operator of g(P): a transposition swaps the x and y coefficients, a negation flips the sign of the odd derivatives in that variable.</summary>
    public LinearOperator2D Apply(LinearOperator2D op)
    {
        ArgumentNullException.ThrowIfNull(op);
        if (Transpose) op = new LinearOperator2D(op.U, op.Uy, op.Ux, op.Uyy, op.Uxx, op.Uxy);
        if (NegateX) op = op with { Ux = -op.Ux, Uxy = -op.Uxy };
        if (NegateY) op = op with { Uy = -op.Uy, Uxy = -op.Uxy };
        return op;
    }

    /// <summary>g(P)'s channels from P's: the vertex grid of [−1, 1]² is symmetric, so each channel is permuted exactly, and the three value channels take the sign.</summary>
    public RenderedProblem Apply(RenderedProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        int n = problem.Resolution;
        var channels = new float[problem.Channels.Length][];
        for (var c = 0; c < channels.Length; c++)
        {
            var source = problem.Channels[c];
            var target = channels[c] = new float[n * n];
            float sign = NegateData && c >= 2 ? -1 : 1;
            for (var j = 0; j < n; j++)
                for (var i = 0; i < n; i++)
                {
                    var (a, b) = Preimage(i, j, n);
                    target[j * n + i] = sign * source[b * n + a];
                }
        }
        return new RenderedProblem(n, channels);
    }

    /// <summary>
    /// An answer to P from an answer <paramref name="answer"/> to g(P), both [y, x] on the n × n
    /// vertex grid of [−1, 1]²: u(p) = s · v(g(p)).
    /// </summary>
    public double[,] Answer(double[,] answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        int n = answer.GetLength(0);
        if (answer.GetLength(1) != n) throw new ArgumentException($"the answer must be square, got {n} x {answer.GetLength(1)}", nameof(answer));
        var u = new double[n, n];
        for (var j = 0; j < n; j++)
            for (var i = 0; i < n; i++)
            {
                var (a, b) = Image(i, j, n);
                u[j, i] = Sign * answer[b, a];
            }
        return u;
    }

    // The grid indices (x, y) of g(p) for the vertex (i, j), and of g⁻¹(p).
    (int I, int J) Image(int i, int j, int n)
    {
        if (Transpose) (i, j) = (j, i);
        return (NegateX ? n - 1 - i : i, NegateY ? n - 1 - j : j);
    }

    (int I, int J) Preimage(int i, int j, int n)
    {
        if (NegateX) i = n - 1 - i;
        if (NegateY) j = n - 1 - j;
        return Transpose ? (j, i) : (i, j);
    }

    /// <summary>A short name: "identity", or the parts, e.g. "transpose, -x, -data".</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Transpose) parts.Add("transpose");
        if (NegateX) parts.Add("-x");
        if (NegateY) parts.Add("-y");
        if (NegateData) parts.Add("-data");
        return parts.Count == 0 ? "identity" : string.Join(", ", parts);
    }
}
