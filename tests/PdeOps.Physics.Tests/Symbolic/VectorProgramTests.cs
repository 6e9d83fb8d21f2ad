using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Tests.Symbolic;

public class VectorProgramTests
{
    [Fact]
    public void ProgramsAgreeWithTheTreeWalkOnRandomExpressions()
    {
        var random = new Random(9);
        for (var k = 0; k < 60; k++)
        {
            var trees = Enumerable.Range(0, 3).Select(_ => RandomExpressions.Tree(random, depth: 5, variables: ["x", "y"])).ToArray();
            var n = 700; // more than two blocks, the last one partial
            var (x, y) = (new double[n], new double[n]);
            for (var i = 0; i < n; i++) (x[i], y[i]) = (random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1);
            var results = trees.Select(_ => new double[n]).ToArray();
            new VectorProgram(trees, ["x", "y"]).Evaluate([x, y], results);
            for (var t = 0; t < trees.Length; t++)
                for (var i = 0; i < n; i++)
                {
                    var expected = trees[t].Evaluate(v => v == "x" ? x[i] : y[i]);
                    // Skip points where some subexpression is huge: sin(1e7) is defined only to ~1e-9.
                    if (LargestPart(trees[t], x[i], y[i]) > 1e3) continue;
                    if (double.IsNaN(expected)) Assert.True(double.IsNaN(results[t][i]), $"{trees[t]} at {i}: NaN expected, got {results[t][i]}");
                    else if (double.IsInfinity(expected)) Assert.Equal(expected, results[t][i]);
                    // SIMD kernels round differently in the last bits.
                    else Assert.True(Math.Abs(results[t][i] - expected) <= 1e-10 * Math.Max(1, Math.Abs(expected)), $"{trees[t]} at ({x[i]}, {y[i]}): {results[t][i]} vs {expected}");
                }
        }
    }

    static double LargestPart(Expr e, double x, double y)
    {
        var own = Math.Abs(e.Evaluate(v => v == "x" ? x : y));
        var parts = e switch
        {
            Negation n => LargestPart(n.Operand, x, y),
            FunctionCall f => LargestPart(f.Argument, x, y),
            BinaryOperation b => Math.Max(LargestPart(b.Left, x, y), LargestPart(b.Right, x, y)),
            _ => 0,
        };
        return double.IsNaN(own) ? parts : Math.Max(own, parts);
    }

    [Fact]
    public void ASolutionAndItsDerivativesShareTheirCommonParts()
    {
        var u = Expr.Parse("sin(3*x + y)*exp(tanh(x*y))");
        var all = new[] { u, u.Derivative("x"), u.Derivative("y"), u.Derivative("x").Derivative("x"), u.Derivative("y").Derivative("y") };
        var together = new VectorProgram(all, ["x", "y"]).Size;
        var apart = all.Sum(e => new VectorProgram([e], ["x", "y"]).Size);
        Assert.True(together < apart / 2, $"{together} instructions together, {apart} apart");
        Assert.Contains("'t'", Assert.Throws<ArgumentException>(() => new VectorProgram([Expr.Parse("x + t")], ["x", "y"])).Message);
    }
}
