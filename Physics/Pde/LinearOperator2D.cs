using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Pde;

/// <summary>
/// A constant-coefficient linear second-order operator in two variables,
/// L u = c0 u + c1 u_x + c2 u_y + c3 u_xx + c4 u_yy + c5 u_xy, the class HyPINO covers
/// (Bischof et al. 2025). For parabolic and hyperbolic operators y plays the role of time.
/// </summary>
/// <param name="U">c0, the coefficient of u.</param>
/// <param name="Ux">c1, of u_x.</param>
/// <param name="Uy">c2, of u_y.</param>
/// <param name="Uxx">c3, of u_xx.</param>
/// <param name="Uyy">c4, of u_yy.</param>
/// <param name="Uxy">c5, of u_xy.</param>
public sealed record LinearOperator2D(double U, double Ux, double Uy, double Uxx, double Uyy, double Uxy = 0)
{
    /// <summary>The symbols operator text may use, in the order of the coefficients.</summary>
    public static IReadOnlyList<string> Symbols { get; } = ["u", "ux", "uy", "uxx", "uyy", "uxy"];

    /// <summary>The Laplacian u_xx + u_yy.</summary>
    public static LinearOperator2D Laplacian { get; } = new(0, 0, 0, 1, 1);

    /// <summary>
    /// Parses text such as "uxx + uyy", "0.5*uyy - 2*uxx + ux" or "uyy - 4*uxx": any expression
    /// that is a constant-coefficient linear combination of u, ux, uy, uxx, uyy and uxy (constant
    /// factors may be written as expressions: "pi^2*u").
    /// </summary>
    /// <exception cref="ExpressionParseException">The text is not an expression over those symbols.</exception>
    /// <exception cref="ArgumentException">The operator is not linear with constant coefficients, has a term without u, or no second-order term.</exception>
    public static LinearOperator2D Parse(string text)
    {
        var e = Expr.Parse(text, Symbols.ToArray()).Simplify();
        var c = new double[Symbols.Count];
        for (var k = 0; k < c.Length; k++)
        {
            var coefficient = e.Derivative(Symbols[k]);
            if (coefficient is not Constant constant)
                throw new ArgumentException($"the operator '{text}' is not linear with constant coefficients: its coefficient of {Symbols[k]} is '{coefficient}'");
            c[k] = constant.Value;
        }
        // Before the term without u, which evaluates inf * 0 = NaN and would blame a source. An
        // infinite coefficient makes the others NaN (inf * 0 again): name the infinite one.
        int bad = Array.FindIndex(c, double.IsInfinity);
        if (bad < 0) bad = Array.FindIndex(c, double.IsNaN);
        if (bad >= 0)
            throw new ArgumentException($"the operator '{text}' has a coefficient that is not finite ({Symbols[bad]}: {c[bad].ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        var rest = e.Evaluate(_ => 0.0);
        if (rest != 0)
            throw new ArgumentException($"the operator '{text}' has a term without u (value {rest}); a source belongs on the right-hand side");
        var op = new LinearOperator2D(c[0], c[1], c[2], c[3], c[4], c[5]);
        if (op.Uxx == 0 && op.Uyy == 0 && op.Uxy == 0)
            throw new ArgumentException($"the operator '{text}' has no second-order term (uxx, uyy or uxy)");
        return op;
    }

    /// <summary>The coefficients in the order of <see cref="Symbols"/>.</summary>
    public double[] Coefficients() => [U, Ux, Uy, Uxx, Uyy, Uxy];

    /// <summary>The discriminant c5² − 4 c3 c4 of the principal part.</summary>
    public double Discriminant => Uxy * Uxy - 4 * Uxx * Uyy;

    /// <summary>Elliptic, parabolic or hyperbolic by the sign of <see cref="Discriminant"/>.</summary>
    public PdeClass Class => Discriminant switch
    {
        < 0 => PdeClass.Elliptic,
        0 => PdeClass.Parabolic,
        _ => PdeClass.Hyperbolic,
    };

    /// <summary>Whether y is time (parabolic and hyperbolic operators) and the problem carries initial data on y = −1.</summary>
    public bool IsTimeDependent => Class != PdeClass.Elliptic;

    /// <summary>L u as an expression, with exact symbolic derivatives of <paramref name="u"/>.</summary>
    public Expr Apply(Expr u)
    {
        var ux = u.Derivative("x");
        var uy = u.Derivative("y");
        Expr result = 0.0;
        result += Term(U, u);
        result += Term(Ux, ux);
        result += Term(Uy, uy);
        result += Term(Uxx, ux.Derivative("x"));
        result += Term(Uyy, uy.Derivative("y"));
        result += Term(Uxy, ux.Derivative("y"));
        return result;

        static Expr Term(double c, Expr d) => c == 0 ? 0.0 : c * d;
    }

    /// <summary>L u from the values of u and its derivatives at one point.</summary>
    public double Apply(double u, double ux, double uy, double uxx, double uyy, double uxy) =>
        U * u + Ux * ux + Uy * uy + Uxx * uxx + Uyy * uyy + Uxy * uxy;

    /// <summary>The operator as text that <see cref="Parse"/> reads back to an equal operator.</summary>
    public override string ToString()
    {
        Expr e = 0.0;
        var c = Coefficients();
        for (var k = 0; k < c.Length; k++)
            if (c[k] != 0) e += c[k] * Expr.Var(Symbols[k]);
        return e.ToString();
    }
}
