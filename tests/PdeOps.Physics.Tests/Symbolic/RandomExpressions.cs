using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Tests.Symbolic;

/// <summary>Random expression trees for property tests, built with the raw record constructors.</summary>
static class RandomExpressions
{
    public static Expr Tree(Random random, int depth, IReadOnlyList<string>? variables = null)
    {
        variables ??= ["x", "y", "t"];
        if (depth == 0 || random.NextDouble() < 0.2)
            return random.Next(3) == 0
                ? new Constant(Math.Round(random.NextDouble() * 8 - 4, 2))
                : new Variable(variables[random.Next(variables.Count)]);
        switch (random.Next(4))
        {
            case 0:
                var inner = Tree(random, depth - 1, variables);
                return inner is Constant ? inner : new Negation(inner);
            case 1:
                return new FunctionCall((MathFunction)random.Next(Enum.GetValues<MathFunction>().Length), Tree(random, depth - 1, variables));
            default:
                var op = (BinaryOperator)random.Next(5);
                var left = Tree(random, depth - 1, variables);
                var right = op == BinaryOperator.Power ? new Constant(random.Next(1, 4)) : Tree(random, depth - 1, variables);
                return new BinaryOperation(op, left, right);
        }
    }
}
