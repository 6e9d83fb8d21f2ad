using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Runtime;

/// <summary>The held-scalar forms compute what the operators they replace compute, gradients included.</summary>
public sealed class HeldScalarsTests
{
    [Fact]
    public void EachFormEqualsTheOperatorItReplaces()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 0.5, -2.0, 3.0 }, requires_grad: true);
        var b = tensor(new[] { 4.0, 1.5, -1.0 });
        AssertEqual(new[] { 4.5, -0.5, 2.0 }, a.Plus(b));
        AssertEqual(new[] { -5.5, -4.25, 4.5 }, a.PlusScaled(b, -1.5));
        AssertEqual(new[] { 1.5, -6.0, 9.0 }, a.Times(3));
        AssertEqual(new[] { 0.25, 4.0, 9.0 }, a.Power(2));
        AssertEqual(new[] { 0.5, 0.0, 3.0 }, a.AtLeast(0));
        AssertEqual(new[] { 7.0, 7.0, 7.0 }, HeldScalars.FullLike(a, 7));

        // d/da of sum(a^2 + 3 a) = 2 a + 3: the forms stay differentiable.
        var gradient = autograd.grad([a.Power(2).Plus(a.Times(3)).sum()], [a])[0];
        AssertEqual(new[] { 4.0, -1.0, 9.0 }, gradient);
    }

    static void AssertEqual(double[] expected, Tensor actual) =>
        Assert.Equal(expected, actual.detach().data<double>().ToArray());
}
