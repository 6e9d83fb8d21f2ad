using System.Reflection;
using Linq = System.Linq.Expressions;

namespace PdeOps.Physics.Symbolic;

/// <summary>
/// An <see cref="Expr"/> over x and y compiled to IL: evaluation at many points costs one delegate
/// call per point and allocates nothing.
/// </summary>
public sealed class CompiledExpr2D
{
    static readonly MethodInfo Sigmoid = typeof(MathFunctions).GetMethod(nameof(MathFunctions.Sigmoid))!;
    static readonly MethodInfo SquareMethod = typeof(CompiledExpr2D).GetMethod(nameof(Square), BindingFlags.NonPublic | BindingFlags.Static)!;
    readonly Func<double, double, double> function;

    /// <summary>Compiles <paramref name="expression"/>.</summary>
    /// <exception cref="ArgumentException">The expression uses a variable other than x and y.</exception>
    public CompiledExpr2D(Expr expression)
    {
        Expression = expression;
        var other = expression.Variables().FirstOrDefault(v => v is not ("x" or "y"));
        if (other is not null)
            throw new ArgumentException($"'{expression}' uses the variable '{other}'; only x and y are allowed here", nameof(expression));
        var x = Linq.Expression.Parameter(typeof(double), "x");
        var y = Linq.Expression.Parameter(typeof(double), "y");
        var body = Build(expression, name => name == "x" ? x : y);
        function = Linq.Expression.Lambda<Func<double, double, double>>(body, x, y).Compile();
    }

    /// <summary>The compiled expression.</summary>
    public Expr Expression { get; }

    /// <summary>The value at (x, y).</summary>
    public double Evaluate(double x, double y) => function(x, y);

    /// <summary>Values at the points (x[i], y[i]) written to <paramref name="result"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public void Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result)
    {
        if (x.Length != y.Length || x.Length != result.Length)
            throw new ArgumentException($"x, y and the result must have one length (got {x.Length}, {y.Length}, {result.Length})");
        for (var i = 0; i < x.Length; i++) result[i] = function(x[i], y[i]);
    }

    /// <summary>The delegate itself, for callers that compose it.</summary>
    public Func<double, double, double> AsDelegate() => function;

    static Linq.Expression Build(Expr e, Func<string, Linq.ParameterExpression> parameter) => e switch
    {
        Constant c => Linq.Expression.Constant(c.Value),
        Variable v => parameter(v.Name),
        Negation n => Linq.Expression.Negate(Build(n.Operand, parameter)),
        FunctionCall f => Call(f.Function, Build(f.Argument, parameter)),
        BinaryOperation b => Binary(b.Operator, Build(b.Left, parameter), Build(b.Right, parameter)),
        _ => throw new InvalidOperationException($"unknown expression node {e.GetType().Name}"),
    };

    static Linq.Expression Binary(BinaryOperator op, Linq.Expression a, Linq.Expression b) => op switch
    {
        BinaryOperator.Add => Linq.Expression.Add(a, b),
        BinaryOperator.Subtract => Linq.Expression.Subtract(a, b),
        BinaryOperator.Multiply => Linq.Expression.Multiply(a, b),
        BinaryOperator.Divide => Linq.Expression.Divide(a, b),
        _ => b is Linq.ConstantExpression { Value: 2.0 } ? Linq.Expression.Call(SquareMethod, a) : Linq.Expression.Power(a, b),
    };

    static double Square(double v) => v * v;

    static Linq.Expression Call(MathFunction function, Linq.Expression z) => function switch
    {
        MathFunction.Sigmoid => Linq.Expression.Call(Sigmoid, z),
        _ => Linq.Expression.Call(typeof(Math).GetMethod(function switch
        {
            MathFunction.Sin => nameof(Math.Sin),
            MathFunction.Cos => nameof(Math.Cos),
            MathFunction.Exp => nameof(Math.Exp),
            MathFunction.Tanh => nameof(Math.Tanh),
            MathFunction.Sqrt => nameof(Math.Sqrt),
            _ => nameof(Math.Log),
        }, [typeof(double)])!, z),
    };
}
