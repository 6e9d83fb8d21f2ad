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

    [Fact]
    public void GridEvaluationEqualsEvaluationAtEveryPoint()
    {
        var random = new Random(4);
        // Lines longer than a block and shorter; expressions of x alone, y alone, both and neither.
        foreach (var (nx, ny) in new[] { (300, 7), (5, 260), (33, 33) })
        {
            var xs = Enumerable.Range(0, nx).Select(i => -1 + 2.0 * i / (nx - 1)).ToArray();
            var ys = Enumerable.Range(0, ny).Select(j => -1 + 2.0 * j / (ny - 1)).ToArray();
            Expr[] trees =
            [
                Expr.Parse("sin(3*x + 1)*tanh(2*y) + cos(x)/(1 + y^2)"), Expr.Parse("exp(-y)*2 + sigmoid(y)"), Expr.Parse("sin(x)"),
                Expr.Parse("cos(2) + 1"), Expr.Parse("x*y - sqrt(2 + x)"),
                // Numbers on either side of every operation with a grid-valued operand.
                Expr.Parse("2 - x*y + (x*y - 4)*(3*(x + y)) + 3/(1 + x*y*x) + (x + y)/5 + (x*y)^3"), .. Enumerable.Range(0, 20).Select(_ => RandomExpressions.Tree(random, depth: 5, variables: ["x", "y"])),
            ];
            var program = new VectorProgram(trees, ["x", "y"]);
            var onGrid = trees.Select(_ => new double[nx * ny]).ToArray();
            program.EvaluateOnGrid(xs, ys, onGrid);
            var (px, py) = (new double[nx * ny], new double[nx * ny]);
            for (var j = 0; j < ny; j++)
                for (var i = 0; i < nx; i++) (px[j * nx + i], py[j * nx + i]) = (xs[i], ys[j]);
            var atPoints = trees.Select(_ => new double[nx * ny]).ToArray();
            program.Evaluate([px, py], atPoints);
            for (var t = 0; t < trees.Length; t++)
                for (var k = 0; k < nx * ny; k++)
                    Assert.True(onGrid[t][k].Equals(atPoints[t][k]) || Math.Abs(onGrid[t][k] - atPoints[t][k]) <= 1e-12 * Math.Max(1, Math.Abs(atPoints[t][k])),
                        $"{trees[t]} at ({px[k]}, {py[k]}): {onGrid[t][k]} on the grid, {atPoints[t][k]} pointwise");
        }
        Assert.Throws<ArgumentException>(() => new VectorProgram([Expr.Parse("x")], ["x"]).EvaluateOnGrid([0.0], [0.0], [new double[1]]));
        Assert.Throws<ArgumentException>(() => new VectorProgram([Expr.Parse("x")], ["x", "y"]).EvaluateOnGrid([0.0, 1], [0.0], [new double[1]]));
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
