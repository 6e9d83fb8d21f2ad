using PdeOps.Operators.Runtime;
using PdeOps.Physics.Symbolic;
using static TorchSharp.torch;

namespace PdeOps.Operators.Pinn;

/// <summary>Evaluates an <see cref="Expr"/> on tensors, so that autograd can differentiate it.</summary>
public static class ExprTensor
{
    /// <summary>The expression at tensors of x and y (same shape); other variables are refused.</summary>
    /// <exception cref="ArgumentException">The expression uses a variable other than x and y.</exception>
    public static Tensor Evaluate(Expr e, Tensor x, Tensor y) => e switch
    {
        Constant c => HeldScalars.FullLike(x, c.Value),
        Variable { Name: "x" } => x,
        Variable { Name: "y" } => y,
        Variable v => throw new ArgumentException($"'{v.Name}' is not x or y"),
        Negation n => -Evaluate(n.Operand, x, y),
        FunctionCall f => Apply(f.Function, Evaluate(f.Argument, x, y)),
        BinaryOperation b => Binary(b, x, y),
        _ => throw new InvalidOperationException($"unknown expression node {e.GetType().Name}"),
    };

    static Tensor Binary(BinaryOperation b, Tensor x, Tensor y)
    {
        var left = Evaluate(b.Left, x, y);
        if (b.Operator == BinaryOperator.Power && b.Right is Constant exponent) return left.Power(exponent.Value);
        var right = Evaluate(b.Right, x, y);
        return b.Operator switch
        {
            BinaryOperator.Add => left.Plus(right),
            BinaryOperator.Subtract => left - right,
            BinaryOperator.Multiply => left * right,
            BinaryOperator.Divide => left / right,
            _ => left.pow(right),
        };
    }

    static Tensor Apply(MathFunction f, Tensor z) => f switch
    {
        MathFunction.Sin => z.sin(),
        MathFunction.Cos => z.cos(),
        MathFunction.Exp => z.exp(),
        MathFunction.Tanh => z.tanh(),
        MathFunction.Sigmoid => z.sigmoid(),
        MathFunction.Sqrt => z.sqrt(),
        MathFunction.Log => z.log(),
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, null),
    };
}
