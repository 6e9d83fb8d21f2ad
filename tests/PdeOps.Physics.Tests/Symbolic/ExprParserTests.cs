using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Tests.Symbolic;

public class ExprParserTests
{
    [Theory]
    [InlineData("sin(pi*x)*exp(-y) + 0.5*tanh(3*x - y)")]
    [InlineData("1/(1 + (2*x - 0.3*y + 1)^2)")]
    [InlineData("a - (b - c)", "a", "b", "c")]
    [InlineData("x^y^2")]
    [InlineData("(x^y)^2")]
    [InlineData("-x^2 + (-2)^y")]
    [InlineData("x*(-3) - (-y)")]
    [InlineData("sigmoid(x)/sqrt(1 + y^2) - log(2 + x*y)")]
    [InlineData("1e-05*x + 2.5E+20*y")]
    [InlineData("x/(y/t)")]
    [InlineData("-(x + y)*t")]
    public void PrintingAndParsingAgainGivesTheSameTree(string text, params string[] variables)
    {
        var vars = variables.Length == 0 ? Expr.SpaceTimeVariables : variables;
        var tree = Expr.Parse(text, vars);
        var again = Expr.Parse(tree.ToString(), vars);
        Assert.Equal(tree, again);
    }

    [Fact]
    public void RandomTreesRoundTripThroughText()
    {
        var random = new Random(7);
        for (var k = 0; k < 500; k++)
        {
            var tree = RandomExpressions.Tree(random, depth: 5);
            Assert.Equal(tree, Expr.Parse(tree.ToString()));
        }
    }

    [Theory]
    [InlineData("2^3^2", 512)]
    [InlineData("-2^2", -4)]
    [InlineData("2*3 + 4", 10)]
    [InlineData("8/4/2", 1)]
    [InlineData("10 - 4 - 3", 3)]
    [InlineData("2**3", 8)]
    [InlineData("2^-1", 0.5)]
    [InlineData("-(-3)", 3)]
    [InlineData("sigmoid(0) + log(e) + sqrt(4)", 3.5)]
    [InlineData("cos(pi)", -1)]
    public void PrecedenceAndAssociativityFollowMathematicalConvention(string text, double expected)
    {
        Assert.Equal(expected, Expr.Parse(text).Evaluate(_ => double.NaN), 12);
    }

    [Theory]
    [InlineData("", 1, "empty")]
    [InlineData("sin(x", 6, "missing ')'")]
    [InlineData("sinn(x)", 1, "unknown function 'sinn'")]
    [InlineData("2x + 1", 2, "write the multiplication as '*'")]
    [InlineData("x + ", 5, "ends")]
    [InlineData("x $ y", 3, "unexpected '$'")]
    [InlineData("x + z", 5, "unknown name 'z'")]
    [InlineData("sin + x", 1, "needs an argument")]
    [InlineData("(x + y))", 8, "unexpected ')'")]
    [InlineData("1.2.3", 1, "not a number")]
    public void BadTextNamesThePositionAndTheReason(string text, int position, string reason)
    {
        var e = Assert.Throws<ExpressionParseException>(() => Expr.Parse(text));
        Assert.Equal(position, e.Position);
        Assert.Contains(reason, e.Reason);
        Assert.Contains($"position {position}", e.Message);
    }

    [Fact]
    public void CompiledEvaluationMatchesTheTreeWalk()
    {
        var random = new Random(3);
        for (var k = 0; k < 100; k++)
        {
            var tree = RandomExpressions.Tree(random, depth: 4, variables: ["x", "y"]);
            var compiled = tree.Compile2D();
            var (xs, ys) = (new double[16], new double[16]);
            for (var i = 0; i < xs.Length; i++) (xs[i], ys[i]) = (random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1);
            var values = new double[16];
            compiled.Evaluate(xs, ys, values);
            for (var i = 0; i < xs.Length; i++)
            {
                var expected = tree.Evaluate(v => v == "x" ? xs[i] : ys[i]);
                if (double.IsFinite(expected)) Assert.Equal(expected, values[i], Math.Max(1e-12, Math.Abs(expected) * 1e-12));
                else Assert.False(double.IsFinite(values[i]) && !double.IsNaN(expected));
            }
        }
    }

    [Fact]
    public void CompilingRefusesVariablesOtherThanXAndY()
    {
        var e = Assert.Throws<ArgumentException>(() => Expr.Parse("x + t").Compile2D());
        Assert.Contains("'t'", e.Message);
    }
}
