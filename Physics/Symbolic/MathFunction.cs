namespace PdeOps.Physics.Symbolic;

/// <summary>The elementary functions an <see cref="Expr"/> may call.</summary>
public enum MathFunction
{
    /// <summary>sin z.</summary>
    Sin,
    /// <summary>cos z.</summary>
    Cos,
    /// <summary>e^z.</summary>
    Exp,
    /// <summary>tanh z.</summary>
    Tanh,
    /// <summary>The logistic function 1 / (1 + e^-z).</summary>
    Sigmoid,
    /// <summary>The square root.</summary>
    Sqrt,
    /// <summary>The natural logarithm.</summary>
    Log,
}

/// <summary>Names, values and derivatives of the <see cref="MathFunction"/>s.</summary>
public static class MathFunctions
{
    static readonly Dictionary<string, MathFunction> ByName =
        Enum.GetValues<MathFunction>().ToDictionary(Name, f => f, StringComparer.Ordinal);

    /// <summary>The function's name in expression text (lower case: "sin", "sigmoid").</summary>
    public static string Name(this MathFunction function) => function.ToString().ToLowerInvariant();

    /// <summary>The names the parser accepts, for error messages.</summary>
    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>Looks a function up by its name in expression text.</summary>
    public static bool TryParse(string name, out MathFunction function) => ByName.TryGetValue(name, out function);

    /// <summary>The function's value at <paramref name="z"/>.</summary>
    public static double Apply(this MathFunction function, double z) => function switch
    {
        MathFunction.Sin => Math.Sin(z),
        MathFunction.Cos => Math.Cos(z),
        MathFunction.Exp => Math.Exp(z),
        MathFunction.Tanh => Math.Tanh(z),
        MathFunction.Sigmoid => Sigmoid(z),
        MathFunction.Sqrt => Math.Sqrt(z),
        MathFunction.Log => Math.Log(z),
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, null),
    };

    /// <summary>The logistic function, written so that it does not overflow for large |z|.</summary>
    public static double Sigmoid(double z)
    {
        if (z >= 0) return 1 / (1 + Math.Exp(-z));
        var e = Math.Exp(z);
        return e / (1 + e);
    }

    /// <summary>The derivative f'(z) as an expression in <paramref name="z"/> (chain rule factor excluded).</summary>
    public static Expr Derivative(this MathFunction function, Expr z) => function switch
    {
        MathFunction.Sin => Expr.Call(MathFunction.Cos, z),
        MathFunction.Cos => -Expr.Call(MathFunction.Sin, z),
        MathFunction.Exp => Expr.Call(MathFunction.Exp, z),
        MathFunction.Tanh => 1 - Expr.Pow(Expr.Call(MathFunction.Tanh, z), 2),
        MathFunction.Sigmoid => Expr.Call(MathFunction.Sigmoid, z) * (1 - Expr.Call(MathFunction.Sigmoid, z)),
        MathFunction.Sqrt => 0.5 / Expr.Call(MathFunction.Sqrt, z),
        MathFunction.Log => 1 / z,
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, null),
    };
}
