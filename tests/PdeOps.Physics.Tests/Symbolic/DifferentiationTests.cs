using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Tests.Symbolic;

public class DifferentiationTests
{
    static readonly string[] Smooth =
    [
        "sin(pi*x)*exp(-y) + 0.5*tanh(3*x - y)",
        "1/(1 + (2*x - 0.3*y + 1)^2)",
        "sigmoid(2*x*y - 1)*cos(x + 2*y)",
        "sqrt(1 + x^2 + y^2) - log(2 + sin(3*y))",
        "(x^2 + 1)^(y + 2)",
        "tanh(sin(2*x)*cos(y))/(2 + cos(x*y))",
        "x^3*y - 4*x*y^2 + 7",
    ];

    [Fact]
    public void FirstSecondAndMixedDerivativesAgreeWithCentralDifferences()
    {
        var random = new Random(11);
        foreach (var text in Smooth)
        {
            var u = Expr.Parse(text);
            var ux = u.Derivative("x");
            var uy = u.Derivative("y");
            var uxx = ux.Derivative("x");
            var uyy = uy.Derivative("y");
            var uxy = ux.Derivative("y");
            var uyx = uy.Derivative("x");
            for (var k = 0; k < 20; k++)
            {
                var (x, y) = (random.NextDouble() * 1.6 - 0.8, random.NextDouble() * 1.6 - 0.8);
                AssertMatches(text, "d/dx", ux, x, y, CentralX(u, x, y));
                AssertMatches(text, "d/dy", uy, x, y, CentralY(u, x, y));
                AssertMatches(text, "d2/dx2", uxx, x, y, CentralX(ux, x, y));
                AssertMatches(text, "d2/dy2", uyy, x, y, CentralY(uy, x, y));
                AssertMatches(text, "d2/dxdy", uxy, x, y, CentralY(ux, x, y));
                AssertMatches(text, "d2/dydx", uyx, x, y, At(uxy, x, y));
            }
        }
    }

    [Fact]
    public void DerivativesSimplifyAsTheyAreBuilt()
    {
        Assert.Equal(Expr.Parse("2*x"), Expr.Parse("x^2").Derivative("x"));
        Assert.Equal(new Constant(0), Expr.Parse("sin(y)*3").Derivative("x"));
        Assert.Equal(Expr.Parse("cos(x)"), Expr.Parse("sin(x) + y").Derivative("x"));
        Assert.Equal(Expr.Parse("-sin(x)"), Expr.Parse("cos(x)").Derivative("x"));
        Assert.Equal(new Constant(6), Expr.Parse("2*3*x").Simplify().Derivative("x"));
    }

    [Fact]
    public void DerivativesOfDerivativesStayOfModestSize()
    {
        var u = Expr.Parse(Smooth[0]);
        var second = u.Derivative("x").Derivative("x").Derivative("y").Derivative("y");
        Assert.True(second.ToString().Length < 40 * u.ToString().Length, second.ToString());
    }

    static double At(Expr e, double x, double y) => e.Evaluate(v => v == "x" ? x : y);

    static double CentralX(Expr e, double x, double y, double h = 1e-5) => (At(e, x + h, y) - At(e, x - h, y)) / (2 * h);

    static double CentralY(Expr e, double x, double y, double h = 1e-5) => (At(e, x, y + h) - At(e, x, y - h)) / (2 * h);

    static void AssertMatches(string text, string what, Expr derivative, double x, double y, double reference)
    {
        var value = At(derivative, x, y);
        var tolerance = 1e-6 * Math.Max(1, Math.Abs(reference));
        Assert.True(Math.Abs(value - reference) <= tolerance,
            $"{what} of {text} at ({x}, {y}): symbolic {value}, central difference {reference}");
    }
}
