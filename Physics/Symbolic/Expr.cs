namespace PdeOps.Physics.Symbolic;

/// <summary>
/// An immutable expression tree over named variables (x, y, t, or the derivative symbols of a
/// linear operator) with constants, + - * /, powers and the <see cref="MathFunction"/>s.
/// Equality is structural. The static constructors and the C# operators simplify as they build
/// (constant folding, 0 and 1 identities), so trees made by <see cref="Parse(string)"/>,
/// <see cref="Derivative"/> and arithmetic stay small; the positional record constructors build
/// exactly what they are given.
/// </summary>
public abstract record Expr
{
    /// <summary>The variables an expression may use unless the caller names others: x, y and t.</summary>
    public static IReadOnlyList<string> SpaceTimeVariables { get; } = ["x", "y", "t"];

    /// <summary>Parses text over x, y and t, for example "sin(pi*x)*exp(-y) + 0.5*tanh(3*x - y)".</summary>
    /// <exception cref="ExpressionParseException">The text is not an expression; the message gives the position and the reason.</exception>
    public static Expr Parse(string text) => ExprParser.Parse(text, SpaceTimeVariables);

    /// <summary>Parses text whose identifiers may be <paramref name="variables"/>, the constants pi and e, and function names.</summary>
    /// <exception cref="ExpressionParseException">The text is not an expression; the message gives the position and the reason.</exception>
    public static Expr Parse(string text, IReadOnlyCollection<string> variables) => ExprParser.Parse(text, variables);

    /// <summary>Text that <see cref="Parse(string)"/> reads back into an equal tree.</summary>
    public sealed override string ToString() => ExprPrinter.Print(this);

    /// <summary>The derivative with respect to <paramref name="variable"/>, simplified.</summary>
    public Expr Derivative(string variable) => Differentiation.Derivative(this, variable);

    /// <summary>The tree rebuilt through the simplifying constructors.</summary>
    public Expr Simplify() => Differentiation.Simplify(this);

    /// <summary>The names of the variables the expression uses.</summary>
    public IReadOnlySet<string> Variables()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        Collect(this, names);
        return names;

        static void Collect(Expr e, SortedSet<string> names)
        {
            switch (e)
            {
                case Variable v: names.Add(v.Name); break;
                case Negation n: Collect(n.Operand, names); break;
                case FunctionCall c: Collect(c.Argument, names); break;
                case BinaryOperation b: Collect(b.Left, names); Collect(b.Right, names); break;
            }
        }
    }

    /// <summary>Evaluates by walking the tree (for tests and one-off values; compile for many points).</summary>
    /// <param name="valueOf">The value of each variable by name.</param>
    public double Evaluate(Func<string, double> valueOf) => this switch
    {
        Constant c => c.Value,
        Variable v => valueOf(v.Name),
        Negation n => -n.Operand.Evaluate(valueOf),
        FunctionCall c => c.Function.Apply(c.Argument.Evaluate(valueOf)),
        BinaryOperation b => b.Operator.Apply(b.Left.Evaluate(valueOf), b.Right.Evaluate(valueOf)),
        _ => throw new InvalidOperationException($"unknown expression node {GetType().Name}"),
    };

    /// <summary>Compiles to a delegate over (x, y): no allocation per point.</summary>
    /// <exception cref="ArgumentException">The expression uses a variable other than x and y.</exception>
    public CompiledExpr2D Compile2D() => new(this);

    /// <summary>A constant.</summary>
    public static Expr Number(double value) => new Constant(value);

    /// <summary>A variable by name.</summary>
    public static Expr Var(string name) => new Variable(name);

    /// <summary>f(z), folded when z is constant.</summary>
    public static Expr Call(MathFunction function, Expr z) =>
        z is Constant c ? new Constant(function.Apply(c.Value)) : new FunctionCall(function, z);

    /// <summary>-a, simplified.</summary>
    public static Expr Negate(Expr a) => a switch
    {
        Constant c => new Constant(-c.Value),
        Negation n => n.Operand,
        _ => new Negation(a),
    };

    /// <summary>a + b, simplified.</summary>
    public static Expr Add(Expr a, Expr b)
    {
        if (a is Constant ca && b is Constant cb) return new Constant(ca.Value + cb.Value);
        if (IsZero(a)) return b;
        if (IsZero(b)) return a;
        if (b is Negation nb) return Subtract(a, nb.Operand);
        return new BinaryOperation(BinaryOperator.Add, a, b);
    }

    /// <summary>a - b, simplified.</summary>
    public static Expr Subtract(Expr a, Expr b)
    {
        if (a is Constant ca && b is Constant cb) return new Constant(ca.Value - cb.Value);
        if (IsZero(b)) return a;
        if (IsZero(a)) return Negate(b);
        if (a == b) return new Constant(0);
        if (b is Negation nb) return Add(a, nb.Operand);
        return new BinaryOperation(BinaryOperator.Subtract, a, b);
    }

    /// <summary>a * b, simplified (constants move to the left and merge).</summary>
    public static Expr Multiply(Expr a, Expr b)
    {
        if (a is Constant ca && b is Constant cb) return new Constant(ca.Value * cb.Value);
        if (b is Constant) (a, b) = (b, a);
        if (a is Constant c)
        {
            if (c.Value == 0) return c;
            if (c.Value == 1) return b;
            if (c.Value == -1) return Negate(b);
            if (b is BinaryOperation { Operator: BinaryOperator.Multiply, Left: Constant inner } product)
                return Multiply(new Constant(c.Value * inner.Value), product.Right);
        }
        if (a is Negation na) return Negate(Multiply(na.Operand, b));
        if (b is Negation nb) return Negate(Multiply(a, nb.Operand));
        return new BinaryOperation(BinaryOperator.Multiply, a, b);
    }

    /// <summary>a / b, simplified.</summary>
    public static Expr Divide(Expr a, Expr b)
    {
        if (a is Constant ca && b is Constant cb) return new Constant(ca.Value / cb.Value);
        if (IsZero(a)) return a;
        if (b is Constant { Value: 1 }) return a;
        if (b is Constant { Value: -1 }) return Negate(a);
        return new BinaryOperation(BinaryOperator.Divide, a, b);
    }

    /// <summary>a ^ b, simplified.</summary>
    public static Expr Pow(Expr a, Expr b)
    {
        if (a is Constant ca && b is Constant cb) return new Constant(Math.Pow(ca.Value, cb.Value));
        if (b is Constant { Value: 0 }) return new Constant(1);
        if (b is Constant { Value: 1 }) return a;
        return new BinaryOperation(BinaryOperator.Power, a, b);
    }

    /// <summary>Whether the expression is the constant 0.</summary>
    public static bool IsZero(Expr e) => e is Constant { Value: 0 };

#pragma warning disable CS1591 // the operators are the static constructors above
    public static Expr operator +(Expr a, Expr b) => Add(a, b);
    public static Expr operator -(Expr a, Expr b) => Subtract(a, b);
    public static Expr operator *(Expr a, Expr b) => Multiply(a, b);
    public static Expr operator /(Expr a, Expr b) => Divide(a, b);
    public static Expr operator -(Expr a) => Negate(a);
    public static implicit operator Expr(double value) => new Constant(value);
#pragma warning restore CS1591
}

/// <summary>A number; <see cref="Math.PI"/> and <see cref="Math.E"/> print as pi and e.</summary>
/// <param name="Value">The value.</param>
public sealed record Constant(double Value) : Expr;

/// <summary>A variable by name.</summary>
/// <param name="Name">The name (x, y, t, ux, ...).</param>
public sealed record Variable(string Name) : Expr;

/// <summary>-Operand.</summary>
/// <param name="Operand">The negated expression.</param>
public sealed record Negation(Expr Operand) : Expr;

/// <summary>Left op Right.</summary>
/// <param name="Operator">The operation.</param>
/// <param name="Left">The left operand.</param>
/// <param name="Right">The right operand (the exponent of a power).</param>
public sealed record BinaryOperation(BinaryOperator Operator, Expr Left, Expr Right) : Expr;

/// <summary>Function(Argument).</summary>
/// <param name="Function">The function.</param>
/// <param name="Argument">Its argument.</param>
public sealed record FunctionCall(MathFunction Function, Expr Argument) : Expr;

/// <summary>The binary operations of an <see cref="Expr"/>.</summary>
public enum BinaryOperator
{
    /// <summary>a + b.</summary>
    Add,
    /// <summary>a - b.</summary>
    Subtract,
    /// <summary>a * b.</summary>
    Multiply,
    /// <summary>a / b.</summary>
    Divide,
    /// <summary>a ^ b.</summary>
    Power,
}

/// <summary>Values and symbols of the <see cref="BinaryOperator"/>s.</summary>
public static class BinaryOperators
{
    /// <summary>The operation applied to two numbers.</summary>
    public static double Apply(this BinaryOperator op, double a, double b) => op switch
    {
        BinaryOperator.Add => a + b,
        BinaryOperator.Subtract => a - b,
        BinaryOperator.Multiply => a * b,
        BinaryOperator.Divide => a / b,
        BinaryOperator.Power => Math.Pow(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <summary>The operator's symbol in expression text.</summary>
    public static string Symbol(this BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Power => "^",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
