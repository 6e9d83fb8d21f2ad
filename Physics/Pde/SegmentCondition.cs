using PdeOps.Physics.Problems;
using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Pde;

/// <summary>
/// One boundary condition on one segment of a <see cref="Geometry.Domain2D"/>: u = g (Dirichlet)
/// or ∂u/∂n = g with n the domain's outward normal (Neumann).
/// </summary>
/// <param name="Segment">The segment's name (bottom, right, top, left, hole1, …).</param>
/// <param name="Kind">Dirichlet or Neumann.</param>
/// <param name="Data">g as an expression in x, y and the outward normal's components nx, ny.</param>
public sealed record SegmentCondition(string Segment, BoundaryKind Kind, Expr Data)
{
    /// <summary>
    /// The variables condition data may use: the point (x, y) and the domain's outward unit normal
    /// (nx, ny) there, so that a flux written as "nx*ux_exact + ny*uy_exact" holds on any curve.
    /// </summary>
    public static IReadOnlyList<string> Variables { get; } = ["x", "y", "nx", "ny"];

    /// <summary>g at a boundary point with outward normal (nx, ny).</summary>
    public double Evaluate(double x, double y, double nx, double ny) =>
        Data.Evaluate(v => v switch { "x" => x, "y" => y, "nx" => nx, _ => ny });

    /// <summary>The condition as text: "hole1: neumann x*y".</summary>
    public override string ToString() => $"{Segment}: {Kind.ToString().ToLowerInvariant()} {Data}";
}

/// <summary>
/// A condition as a user writes it: "EXPR" applies to every segment not given a condition
/// otherwise, "bottom, hole1: EXPR" to the named segments.
/// </summary>
/// <param name="Kind">Dirichlet or Neumann.</param>
/// <param name="Segments">The named segments, or null for the default.</param>
/// <param name="Data">g as an expression in x, y, nx and ny (<see cref="SegmentCondition.Variables"/>).</param>
public sealed record ConditionSpec(BoundaryKind Kind, IReadOnlyList<string>? Segments, Expr Data)
{
    /// <summary>Reads "EXPR" or "seg1, seg2: EXPR".</summary>
    /// <exception cref="ExpressionParseException">The expression or the segment list is malformed.</exception>
    public static ConditionSpec Parse(BoundaryKind kind, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (kind == BoundaryKind.Periodic) throw new ArgumentException("segments take Dirichlet or Neumann conditions", nameof(kind));
        var colon = text.IndexOf(':');
        if (colon < 0) return new ConditionSpec(kind, null, ParseData(text, text, 0));
        var names = text[..colon].Split(',').Select(s => s.Trim()).ToArray();
        var empty = Array.FindIndex(names, n => n.Length == 0 || !n.All(char.IsAsciiLetterOrDigit));
        if (empty >= 0) throw new ExpressionParseException(text, 1, $"'{text[..colon].Trim()}' is not a list of segment names such as 'bottom, hole1'");
        return new ConditionSpec(kind, names, ParseData(text, text[(colon + 1)..], colon + 1));
    }

    static Expr ParseData(string whole, string expression, int offset)
    {
        try
        {
            return Expr.Parse(expression, SegmentCondition.Variables);
        }
        catch (ExpressionParseException e) when (offset > 0)
        {
            throw new ExpressionParseException(whole, e.Position + offset, e.Reason);
        }
    }
}
