namespace PdeOps.Physics.Symbolic;

/// <summary>Exact symbolic derivatives, simplified as they are built.</summary>
static class Differentiation
{
    public static Expr Derivative(Expr e, string variable) => e switch
    {
        Constant => 0.0,
        Variable v => v.Name == variable ? 1.0 : 0.0,
        Negation n => -Derivative(n.Operand, variable),
        FunctionCall f => Chain(f, variable),
        BinaryOperation b => b.Operator switch
        {
            BinaryOperator.Add => Derivative(b.Left, variable) + Derivative(b.Right, variable),
            BinaryOperator.Subtract => Derivative(b.Left, variable) - Derivative(b.Right, variable),
            BinaryOperator.Multiply => Derivative(b.Left, variable) * b.Right + b.Left * Derivative(b.Right, variable),
            BinaryOperator.Divide => Quotient(b.Left, b.Right, variable),
            _ => Power(b.Left, b.Right, variable),
        },
        _ => throw new InvalidOperationException($"unknown expression node {e.GetType().Name}"),
    };

    public static Expr Simplify(Expr e) => e switch
    {
        Negation n => -Simplify(n.Operand),
        FunctionCall f => Expr.Call(f.Function, Simplify(f.Argument)),
        BinaryOperation b => Rebuild(b.Operator, Simplify(b.Left), Simplify(b.Right)),
        _ => e,
    };

    static Expr Rebuild(BinaryOperator op, Expr a, Expr b) => op switch
    {
        BinaryOperator.Add => a + b,
        BinaryOperator.Subtract => a - b,
        BinaryOperator.Multiply => a * b,
        BinaryOperator.Divide => a / b,
        _ => Expr.Pow(a, b),
    };

    static Expr Chain(FunctionCall f, string variable)
    {
        var inner = Derivative(f.Argument, variable);
        return Expr.IsZero(inner) ? 0.0 : f.Function.Derivative(f.Argument) * inner;
    }

    static Expr Quotient(Expr a, Expr b, string variable)
    {
        var da = Derivative(a, variable);
        var db = Derivative(b, variable);
        if (Expr.IsZero(db)) return da / b;
        return (da * b - a * db) / Expr.Pow(b, 2);
    }

    // d(a^b) = b a^(b-1) a' for a constant exponent; a^b (b' ln a + b a'/a) otherwise.
    static Expr Power(Expr a, Expr b, string variable)
    {
        var da = Derivative(a, variable);
        var db = Derivative(b, variable);
        if (Expr.IsZero(db))
            return Expr.IsZero(da) ? 0.0 : b * Expr.Pow(a, b - 1) * da;
        return Expr.Pow(a, b) * (db * Expr.Call(MathFunction.Log, a) + b * da / a);
    }
}
