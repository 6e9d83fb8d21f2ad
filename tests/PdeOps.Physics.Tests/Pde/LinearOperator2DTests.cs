using PdeOps.Physics.Pde;
using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Tests.Pde;

public class LinearOperator2DTests
{
    [Theory]
    [InlineData("uxx + uyy", 0, 0, 0, 1, 1, 0, PdeClass.Elliptic)]
    [InlineData("0.5*uyy - 2*uxx + ux", 0, 1, 0, -2, 0.5, 0, PdeClass.Hyperbolic)]
    [InlineData("uyy - 4*uxx", 0, 0, 0, -4, 1, 0, PdeClass.Hyperbolic)]
    [InlineData("uy - 0.01*uxx", 0, 0, 1, -0.01, 0, 0, PdeClass.Parabolic)]
    [InlineData("uxx + uyy + pi^2*u", 9.869604401089358, 0, 0, 1, 1, 0, PdeClass.Elliptic)]
    [InlineData("2*(uxx + uxy) + 3*uyy - u", -1, 0, 0, 2, 3, 2, PdeClass.Elliptic)]
    [InlineData("uxx + 2*uxy + uyy", 0, 0, 0, 1, 1, 2, PdeClass.Parabolic)]
    public void TextGivesTheCoefficientsAndTheClass(string text, double c0, double c1, double c2, double c3, double c4, double c5, PdeClass kind)
    {
        var op = LinearOperator2D.Parse(text);
        Assert.Equal([c0, c1, c2, c3, c4, c5], op.Coefficients(), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(kind, op.Class);
        Assert.Equal(kind != PdeClass.Elliptic, op.IsTimeDependent);
        Assert.Equal(op, LinearOperator2D.Parse(op.ToString()));
    }

    [Theory]
    [InlineData("u*ux + uxx", "not linear")]
    [InlineData("sin(u) + uyy", "not linear")]
    [InlineData("uxx + uyy + 1", "term without u")]
    [InlineData("1e400*uxx + uyy", "has a coefficient that is not finite (uxx: Infinity)")]
    [InlineData("ux + uy", "no second-order term")]
    public void OperatorsOutsideTheClassAreRefusedWithTheReason(string text, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => LinearOperator2D.Parse(text));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void VariableCoefficientsAreUnknownNames()
    {
        var e = Assert.Throws<ExpressionParseException>(() => LinearOperator2D.Parse("x*uxx + uyy"));
        Assert.Equal(1, e.Position);
        Assert.Contains("unknown name 'x'", e.Reason);
    }

    [Fact]
    public void ApplyingTheLaplacianToAnEigenfunctionScalesIt()
    {
        var u = Expr.Parse("sin(pi*x)*sin(2*pi*y)");
        var f = LinearOperator2D.Laplacian.Apply(u).Compile2D();
        var exact = u.Compile2D();
        foreach (var (x, y) in new[] { (0.1, 0.3), (-0.7, 0.45), (0.33, -0.9) })
            Assert.Equal(-5 * Math.PI * Math.PI * exact.Evaluate(x, y), f.Evaluate(x, y), 10);
    }

    [Fact]
    public void ApplyingAGeneralOperatorMatchesItsPointwiseForm()
    {
        var op = LinearOperator2D.Parse("0.3*u - ux + 2*uy + 1.5*uxx - 0.5*uyy + 0.25*uxy");
        var u = Expr.Parse("exp(0.5*x - y)*tanh(x*y + 0.2)");
        var f = op.Apply(u);
        var d = new[] { u, u.Derivative("x"), u.Derivative("y"), u.Derivative("x").Derivative("x"), u.Derivative("y").Derivative("y"), u.Derivative("x").Derivative("y") };
        foreach (var (x, y) in new[] { (0.2, 0.1), (-0.4, 0.8) })
        {
            double At(Expr e) => e.Evaluate(v => v == "x" ? x : y);
            Assert.Equal(op.Apply(At(d[0]), At(d[1]), At(d[2]), At(d[3]), At(d[4]), At(d[5])), At(f), 12);
        }
    }
}
