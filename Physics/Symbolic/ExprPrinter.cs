using System.Globalization;
using System.Text;

namespace PdeOps.Physics.Symbolic;

/// <summary>
/// Prints an expression as text that <see cref="ExprParser"/> reads back into an equal tree:
/// numbers in shortest round-trip form, parentheses wherever the tree's shape differs from what
/// precedence and left-associativity would give.
/// </summary>
static class ExprPrinter
{
    const int SumLevel = 1, ProductLevel = 2, UnaryLevel = 3, PowerLevel = 4, AtomLevel = 5;

    public static string Print(Expr e)
    {
        var text = new StringBuilder();
        Write(e, text);
        return text.ToString();
    }

    static int Level(Expr e) => e switch
    {
        Constant c when c.Value < 0 || double.IsNegative(c.Value) => UnaryLevel,
        Negation => UnaryLevel,
        BinaryOperation b => b.Operator switch
        {
            BinaryOperator.Add or BinaryOperator.Subtract => SumLevel,
            BinaryOperator.Multiply or BinaryOperator.Divide => ProductLevel,
            _ => PowerLevel,
        },
        _ => AtomLevel,
    };

    static void Write(Expr e, StringBuilder text)
    {
        switch (e)
        {
            case Constant c: WriteNumber(c.Value, text); break;
            case Variable v: text.Append(v.Name); break;
            case FunctionCall f:
                text.Append(f.Function.Name()).Append('(');
                Write(f.Argument, text);
                text.Append(')');
                break;
            case Negation n:
                text.Append('-');
                // A negated number would read back as a negative constant; keep it distinct.
                WriteOperand(n.Operand, Level(n.Operand) < PowerLevel || n.Operand is Constant, text);
                break;
            case BinaryOperation b:
                var level = Level(b);
                var power = b.Operator == BinaryOperator.Power;
                WriteOperand(b.Left, power ? Level(b.Left) <= PowerLevel : Level(b.Left) < level, text);
                text.Append(power ? "^" : $" {b.Operator.Symbol()} ");
                var rightLevel = Level(b.Right);
                WriteOperand(b.Right, power ? rightLevel < PowerLevel : rightLevel <= level || rightLevel == UnaryLevel, text);
                break;
            default:
                throw new InvalidOperationException($"unknown expression node {e.GetType().Name}");
        }
    }

    static void WriteOperand(Expr e, bool parenthesize, StringBuilder text)
    {
        if (parenthesize) text.Append('(');
        Write(e, text);
        if (parenthesize) text.Append(')');
    }

    static void WriteNumber(double value, StringBuilder text)
    {
        if (value == Math.PI) text.Append("pi");
        else if (value == -Math.PI) text.Append("-pi");
        else if (value == Math.E) text.Append('e');
        else if (value == -Math.E) text.Append("-e");
        else text.Append(value.ToString("R", CultureInfo.InvariantCulture));
    }
}
