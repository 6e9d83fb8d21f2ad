using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Tests.Symbolic;

public class VectorMathTests
{
    // Five units in the last place.
    const double FewUlp = 5 * 2.220446049250313e-16;

    delegate void Kernel(ReadOnlySpan<double> a, Span<double> to);

    public static TheoryData<string> Functions => ["sin", "cos", "exp", "tanh", "sigmoid", "log"];

    static (Kernel Vector, Func<double, double> Reference) Pair(string name) => name switch
    {
        "sin" => (VectorMath.Sin, Math.Sin),
        "cos" => (VectorMath.Cos, Math.Cos),
        "exp" => (VectorMath.Exp, Math.Exp),
        "tanh" => (VectorMath.Tanh, Math.Tanh),
        "log" => (VectorMath.Log, Math.Log),
        _ => (VectorMath.Sigmoid, MathFunctions.Sigmoid),
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public void AgreesWithMathToAFewUlpOverWideRanges(string name)
    {
        var (vector, reference) = Pair(name);
        var random = new Random(5);
        // Arguments over many scales: tiny, moderate, near multiples of π/2 and of ln 2, large.
        var x = Enumerable.Range(0, 20003).Select(i => (i % 5) switch
        {
            0 => (random.NextDouble() * 2 - 1) * 1e-6,
            1 => (random.NextDouble() * 2 - 1) * 4,
            2 => Math.Round(random.NextDouble() * 200 - 100) * Math.PI / 2 + (random.NextDouble() - 0.5) * 1e-9,
            3 => name == "log" ? Math.Exp((random.NextDouble() * 2 - 1) * 700) : (random.NextDouble() * 2 - 1) * 700,
            _ => (random.NextDouble() * 2 - 1) * 5e4,
        }).Select(v => name == "log" ? Math.Abs(v) : v).ToArray();
        var result = new double[x.Length];
        vector(x, result);
        for (var i = 0; i < x.Length; i++)
        {
            var expected = reference(x[i]);
            // sin and cos are judged against the magnitude of their range, the others relatively.
            var scale = name is "sin" or "cos" ? 1 : Math.Abs(expected);
            Assert.True(result[i] == expected || Math.Abs(result[i] - expected) <= FewUlp * Math.Max(scale, double.Epsilon),
                $"{name}({x[i]:R}) = {result[i]:R}, Math gives {expected:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void SpecialValuesAndTailsGetMathsAnswer(string name)
    {
        var (vector, reference) = Pair(name);
        double[] x = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 1e300, -1e300, 800, -800, 710, -746, 1e6, 3,
            1, 1 + 1e-15, 1 - 1e-16, Math.Sqrt(2), 4.9e-324, 2.2250738585072014E-308, double.MaxValue];
        for (var length = 0; length <= x.Length; length++)
        {
            var result = new double[length];
            vector(x.AsSpan(0, length), result);
            for (var i = 0; i < length; i++)
            {
                var expected = reference(x[i]);
                if (double.IsNaN(expected)) Assert.True(double.IsNaN(result[i]), $"{name}({x[i]}) should be NaN, got {result[i]}");
                else Assert.True(result[i] == expected || Math.Abs(result[i] - expected) <= FewUlp * Math.Max(1, Math.Abs(expected)),
                    $"{name}({x[i]:R}) = {result[i]:R}, Math gives {expected:R}");
            }
        }
    }

    [Fact]
    public void SignsFollowTheFunctionsSymmetry()
    {
        double[] x = [0.3, 1.9, 3.5, 5.1, 7.0, 12.4, 20.0, 33.3];
        var negated = x.Select(v => -v).ToArray();
        var (sin, sinNegated) = (new double[x.Length], new double[x.Length]);
        VectorMath.Sin(x, sin);
        VectorMath.Sin(negated, sinNegated);
        var (tanh, tanhNegated) = (new double[x.Length], new double[x.Length]);
        VectorMath.Tanh(x, tanh);
        VectorMath.Tanh(negated, tanhNegated);
        var (sigmoid, sigmoidNegated) = (new double[x.Length], new double[x.Length]);
        VectorMath.Sigmoid(x, sigmoid);
        VectorMath.Sigmoid(negated, sigmoidNegated);
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(-sin[i], sinNegated[i]);
            Assert.Equal(-tanh[i], tanhNegated[i]);
            Assert.Equal(1, sigmoid[i] + sigmoidNegated[i], 15);
        }
    }

    [Fact]
    public void TheSignedLogOfTheSourceIsRoundedToSingleAndZeroWhereNotFinite()
    {
        var random = new Random(8);
        double[] special = [0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e300, -1e-300, 3e-8, -1, 1e-20, -2.5e-12, 1e-17];
        var f = special.Concat(Enumerable.Range(0, 1001).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 9)))).ToArray();
        var result = new double[f.Length];
        VectorMath.SignedLogOnePlusToSingle(f, result);
        for (var i = 0; i < f.Length; i++)
        {
            var expected = double.IsFinite(f[i]) ? Math.Sign(f[i]) * LogOnePlus(Math.Abs(f[i])) : 0;
            Assert.Equal((double)(float)result[i], result[i]); // a single-precision value
            Assert.True(Math.Abs(result[i] - expected) <= 1e-7 * Math.Abs(expected) + 1e-300, $"f = {f[i]:R}: {result[i]:R}, expected about {expected:R}");
            if (f[i] == 0) Assert.False(double.IsNegative(result[i]), $"f = {f[i]:R} gave −0, as sign(f) = 0 does not"); // −0.0 included
        }
    }

    // ln(1 + a) for a ≥ 0: its series where 1 + a would round away a's digits (error below a^5 / 5).
    static double LogOnePlus(double a) => a < 1e-4 ? a - a * a / 2 + a * a * a / 3 - a * a * a * a / 4 : Math.Log(1 + a);
}
