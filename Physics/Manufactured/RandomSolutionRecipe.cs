using PdeOps.Physics.RandomFields;
using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Manufactured;

/// <summary>
/// Random smooth solutions u(x, y) as in HyPINO's method of manufactured solutions (Bischof et
/// al. 2025): 6 to 10 terms d ψ(a x + b y + c) + e, ψ drawn from {z, sin, cos, tanh, sigmoid,
/// 1/(1 + z²)}, each folded into the running u by adding, multiplying or composing
/// (u ← d ψ(u) + e), one of the three with equal chance. a and b are 0 with probability 1/2,
/// otherwise uniform in (−10, 10); c, d, e are uniform in (−2π, 2π); the last term has d = 1,
/// e = 0. The first term is always added: a product with the initial zero would discard it.
/// </summary>
public static class RandomSolutionRecipe
{
    /// <summary>Draws one solution.</summary>
    public static Expr Draw(SampleRandom random)
    {
        var x = Expr.Var("x");
        var y = Expr.Var("y");
        var terms = 6 + Index(random, 5);
        Expr u = 0.0;
        for (var k = 0; k < terms; k++)
        {
            var last = k == terms - 1;
            var a = random.NextDouble() < 0.5 ? 0 : Uniform(random, -10, 10);
            var b = random.NextDouble() < 0.5 ? 0 : Uniform(random, -10, 10);
            var c = Uniform(random, -2 * Math.PI, 2 * Math.PI);
            var d = last ? 1 : Uniform(random, -2 * Math.PI, 2 * Math.PI);
            var e = last ? 0 : Uniform(random, -2 * Math.PI, 2 * Math.PI);
            var basis = Index(random, 6);
            var combine = k == 0 ? 0 : Index(random, 3);
            Expr Term(Expr z) => Round(d) * Basis(basis, z) + Round(e);
            u = combine switch
            {
                0 => u + Term(Round(a) * x + Round(b) * y + Round(c)),
                1 => u * Term(Round(a) * x + Round(b) * y + Round(c)),
                _ => Term(u),
            };
        }
        return u;
    }

    /// <summary>ψ number <paramref name="k"/> of the recipe applied to z.</summary>
    static Expr Basis(int k, Expr z) => k switch
    {
        0 => z,
        1 => Expr.Call(MathFunction.Sin, z),
        2 => Expr.Call(MathFunction.Cos, z),
        3 => Expr.Call(MathFunction.Tanh, z),
        4 => Expr.Call(MathFunction.Sigmoid, z),
        _ => 1 / (1 + Expr.Pow(z, 2)),
    };

    // Coefficients keep 6 significant digits so that the stored text is short and exact.
    internal static Expr Round(double v) =>
        v == 0 ? 0.0 : Math.Round(v, Math.Clamp(6 - (int)Math.Ceiling(Math.Log10(Math.Abs(v))), 0, 15));

    internal static double Uniform(SampleRandom random, double low, double high) => low + (high - low) * random.NextDouble();

    internal static int Index(SampleRandom random, int count) => Math.Min((int)(random.NextDouble() * count), count - 1);
}
