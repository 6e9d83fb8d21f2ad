using PdeOps.Physics.Pde;
using PdeOps.Physics.Problems;
using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Tests.Pde;

public class Problem2DTests
{
    [Fact]
    public void ADefaultConditionCoversTheSegmentsNotNamed()
    {
        var p = Problem2D.FromText("uxx + uyy", "-1", "square - disk(0, 0, 0.3) - disk(0.6, 0.6, 0.2)",
            ["0"], ["hole1: x*y"]);
        Assert.Equal(6, p.Conditions.Count);
        Assert.Equal(BoundaryKind.Neumann, Assert.Single(p.On("hole1")).Kind);
        Assert.Equal(Expr.Parse("x*y"), p.On("hole1").Single().Data);
        Assert.All(new[] { "bottom", "right", "top", "left", "hole2" }, s => Assert.Equal(BoundaryKind.Dirichlet, Assert.Single(p.On(s)).Kind));
    }

    [Fact]
    public void ASegmentMayCarryCauchyDataAndNeumannDataMayUseTheNormal()
    {
        var p = Problem2D.FromText("uxx + uyy", "0", "square - disk(0, 0, 0.5)", ["x*y", "left: x*y"], ["left, hole1: nx*y + ny*x"]);
        Assert.Equal([BoundaryKind.Dirichlet, BoundaryKind.Neumann], p.On("left").Select(c => c.Kind).Order());
        var flux = p.On("hole1").Single(c => c.Kind == BoundaryKind.Neumann);
        // At (0.3, 0.4) on the hole the domain's outward normal is (-0.6, -0.8): du/dn of u = x y is -0.48.
        Assert.Equal(-0.48, flux.Evaluate(0.3, 0.4, -0.6, -0.8), 14);
    }

    [Fact]
    public void TimeDependentProblemsTakeInitialDataAtTheBottomAndNothingAtTheTop()
    {
        var heat = Problem2D.FromText("uy - 0.1*uxx", "0", "square", ["bottom: sin(pi*x)", "left, right: 0"], []);
        Assert.Empty(heat.On("top"));
        Assert.Equal(BoundaryKind.Dirichlet, Assert.Single(heat.On("bottom")).Kind);

        var wave = Problem2D.FromText("uyy - 4*uxx", "0", "square", ["sin(pi*x)"], ["bottom: 0"]);
        Assert.Equal([BoundaryKind.Dirichlet, BoundaryKind.Neumann], wave.On("bottom").Select(c => c.Kind).Order());
        Assert.Empty(wave.On("top"));
    }

    [Theory]
    [InlineData("uxx + uyy", new[] { "left, right, top: 0" }, new string[0], "segment 'bottom' has no boundary condition")]
    [InlineData("uxx + uyy", new[] { "0", "1" }, new string[0], "only one condition may omit its segments")]
    [InlineData("uxx + uyy", new[] { "0", "hole3: 1" }, new string[0], "unknown boundary segment 'hole3'")]
    [InlineData("uyy - uxx", new[] { "0" }, new string[0], "needs Dirichlet and Neumann")]
    [InlineData("uy - uxx", new[] { "0", "top: 1" }, new string[0], "takes no condition")]
    [InlineData("uxx + uyy", new[] { "left, right: 0", "left: 1" }, new[] { "top, bottom: 0" }, "two Dirichlet conditions")]
    public void IllPosedAssignmentsAreRefusedNamingTheSegment(string pde, string[] dirichlet, string[] neumann, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => Problem2D.FromText(pde, "0", "square", dirichlet, neumann));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void ConditionTextErrorsPointIntoTheWholeSpec()
    {
        var e = Assert.Throws<ExpressionParseException>(() => ConditionSpec.Parse(BoundaryKind.Dirichlet, "left: x + + "));
        Assert.Equal(13, e.Position);
        var names = Assert.Throws<ExpressionParseException>(() => ConditionSpec.Parse(BoundaryKind.Dirichlet, "left,: 0"));
        Assert.Contains("segment names", names.Reason);
        var time = Assert.Throws<ExpressionParseException>(() => Problem2D.FromText("uxx + uyy", "t", "square", ["0"], []));
        Assert.Contains("unknown name 't'", time.Reason);
    }

    [Theory]
    [InlineData("1/x", "square", "0", null, DataOutOfRange.Part.Source, 0.0)]
    [InlineData("sqrt(-1)", "square", "0", null, DataOutOfRange.Part.Source, -1.0)]
    [InlineData("1", "square", "log(x + 1)", null, DataOutOfRange.Part.Dirichlet, -1.0)]
    [InlineData("1", "square", "0", "1/(x - x)", DataOutOfRange.Part.Exact, -1.0)]
    public void DataThatAreNotFiniteAreFoundWithTheirPlace(string source, string domain, string dirichlet, string? exact, DataOutOfRange.Part part, double x)
    {
        var problem = Problem2D.FromText("uxx + uyy", source, domain, [dirichlet], [], exact);
        var bad = problem.FirstDataOutOfRange(21);
        Assert.NotNull(bad);
        Assert.Equal(part, bad.Term);
        Assert.Equal(x, bad.X, 12);
        Assert.False(double.IsFinite(bad.Value));
        Assert.Contains("not a finite number", bad.ToString());
        if (part == DataOutOfRange.Part.Dirichlet) Assert.Equal("left", bad.Segment);
    }

    [Fact]
    public void ASingularityInsideAHoleOrBetweenGridPointsIsNotReported()
    {
        // 1/r^2 is infinite at the origin, inside the hole; 1/(x - 0.01) between vertices of a 21-point grid.
        Assert.Null(Problem2D.FromText("uxx + uyy", "1/(x*x + y*y)", "square - disk(0, 0, 0.3)", ["0"], []).FirstDataOutOfRange(21));
        Assert.NotNull(Problem2D.FromText("uxx + uyy", "1/(x*x + y*y)", "square", ["0"], []).FirstDataOutOfRange(21));
        Assert.Null(Problem2D.FromText("uxx + uyy", "1/(x - 0.01)", "square", ["0"], []).FirstDataOutOfRange(21));
        Assert.Null(Problem2D.FromText("uxx + uyy", "sin(pi*x)", "square", ["x*y"], [], "x").FirstDataOutOfRange(21));
    }

    [Fact]
    public void DataBeyondTheLargestMagnitudeAllowedAreReported()
    {
        var problem = Problem2D.FromText("uxx + uyy", "exp(100*x)", "square", ["0"], []);
        Assert.Null(problem.FirstDataOutOfRange(21));
        var bad = problem.FirstDataOutOfRange(21, float.MaxValue);
        Assert.NotNull(bad);
        Assert.True(bad.Value > float.MaxValue);
        Assert.Contains("larger in magnitude than 3.4E+38", bad.ToString());
    }

    [Fact]
    public void NeumannDataOnAHoleAreCheckedOnItsOwnSegment()
    {
        var problem = Problem2D.FromText("uxx + uyy", "1", "square - disk(0, 0, 0.5)", ["0"], ["hole1: 1/(x*x + y*y - 0.25)"]);
        var bad = problem.FirstDataOutOfRange(21);
        Assert.NotNull(bad);
        Assert.Equal((DataOutOfRange.Part.Neumann, "hole1"), (bad.Term, bad.Segment));
        Assert.Equal(0.25, bad.X * bad.X + bad.Y * bad.Y, 9);
    }

    [Fact]
    public void DataAreSizedByTheLargestBoundaryValueOrATenthOfTheLargestSource()
    {
        // Dirichlet 3 at x = 1 beats a tenth of f's largest value, 2; then f = 50 beats it.
        Assert.Equal(3, Problem2D.FromText("uxx + uyy", "20*x*y", "square", ["3*x"], []).DataSize(21), 12);
        Assert.Equal(5, Problem2D.FromText("uxx + uyy", "50", "square - disk(0, 0, 0.3)", ["0"], ["hole1: -2"]).DataSize(21), 12);
        // A Neumann flux counts as a boundary value; f is read only in the domain: 1000 at the centre
        // of the hole, at most 0.13 outside it.
        Assert.Equal(4, Problem2D.FromText("uxx + uyy", "1000*exp(-100*(x*x + y*y))", "square - disk(0, 0, 0.3)", ["0"], ["hole1: 4"]).DataSize(21), 12);
        Assert.Equal(0, Problem2D.FromText("uxx + uyy", "0", "square", ["0"], []).DataSize(21));
        Assert.True(double.IsNaN(Problem2D.FromText("uxx + uyy", "sqrt(x)", "square", ["0"], []).DataSize(21)));
    }

    [Fact]
    public void AScaledProblemHasItsDataAndExactSolutionMultiplied()
    {
        var problem = Problem2D.FromText("uxx + uyy - u", "sin(pi*x) + y", "square - disk(0.2, 0.1, 0.3)", ["left, right: x*y", "top, bottom: 2"], ["hole1: nx*x"], "x*y + 1");
        var scaled = problem.Scaled(-1e6);
        Assert.Same(problem, problem.Scaled(1));
        Assert.Equal(problem.Operator, scaled.Operator);
        Assert.Equal(problem.Domain.ToString(), scaled.Domain.ToString());
        Assert.Equal(1e6 * problem.DataSize(33), scaled.DataSize(33), 6);
        Assert.Equal(-1e6 * problem.Source.Compile2D().Evaluate(0.3, -0.4), scaled.Source.Compile2D().Evaluate(0.3, -0.4), 6);
        Assert.Equal(-1e6 * problem.Exact!.Compile2D().Evaluate(0.3, -0.4), scaled.Exact!.Compile2D().Evaluate(0.3, -0.4), 6);
        foreach (var (before, after) in problem.Conditions.Zip(scaled.Conditions))
        {
            Assert.Equal((before.Segment, before.Kind), (after.Segment, after.Kind));
            Assert.Equal(-1e6 * before.Evaluate(0.5, 1, 0.6, 0.8), after.Evaluate(0.5, 1, 0.6, 0.8), 6);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => problem.Scaled(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => problem.Scaled(double.NaN));
    }
}
