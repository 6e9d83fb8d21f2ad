using System.Globalization;

namespace PdeOps.Physics.Symbolic;

/// <summary>
/// Recursive-descent parser for expression text. Grammar (whitespace ignored):
/// <code>
/// sum     := product (('+' | '-') product)*
/// product := unary (('*' | '/') unary)*
/// unary   := '-' unary | '+' unary | power
/// power   := atom (('^' | '**') unary)?        right-associative: a^b^c = a^(b^c)
/// atom    := number | pi | e | variable | function '(' sum ')' | '(' sum ')'
/// </code>
/// A minus applied to a number gives a negative constant; otherwise the tree is built exactly as
/// written, so that printing and parsing again gives an equal tree.
/// </summary>
static class ExprParser
{
    public static Expr Parse(string text, IReadOnlyCollection<string> variables)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Cursor(text, variables);
        if (parser.AtEnd) throw parser.Error(1, "the expression is empty");
        var result = parser.Sum();
        if (!parser.AtEnd) throw parser.Error(parser.Position + 1, $"unexpected '{text[parser.Position]}'");
        return result;
    }

    sealed class Cursor(string text, IReadOnlyCollection<string> variables)
    {
        int pos;

        public int Position { get { SkipSpace(); return pos; } }
        public bool AtEnd => Position >= text.Length;

        public ExpressionParseException Error(int position, string reason) => new(text, position, reason);

        public Expr Sum()
        {
            var left = Product();
            while (true)
            {
                if (Accept("+")) left = new BinaryOperation(BinaryOperator.Add, left, Product());
                else if (Accept("-")) left = new BinaryOperation(BinaryOperator.Subtract, left, Product());
                else return left;
            }
        }

        Expr Product()
        {
            var left = Unary();
            while (true)
            {
                if (Accept("*")) left = new BinaryOperation(BinaryOperator.Multiply, left, Unary());
                else if (Accept("/")) left = new BinaryOperation(BinaryOperator.Divide, left, Unary());
                else return left;
            }
        }

        Expr Unary()
        {
            if (Accept("-"))
            {
                var operand = Unary();
                return operand is Constant c ? new Constant(-c.Value) : new Negation(operand);
            }
            if (Accept("+")) return Unary();
            return Power();
        }

        Expr Power()
        {
            var atom = Atom();
            if (Accept("^") || Accept("**")) return new BinaryOperation(BinaryOperator.Power, atom, Unary());
            return atom;
        }

        Expr Atom()
        {
            var start = Position;
            if (start >= text.Length) throw Error(start + 1, "the expression ends where a number, variable, function or '(' was expected");
            var ch = text[start];
            if (ch == '(')
            {
                pos++;
                var inner = Sum();
                Expect(")", start);
                return inner;
            }
            if (char.IsAsciiDigit(ch) || ch == '.') return Number(start);
            if (char.IsAsciiLetter(ch) || ch == '_') return Identifier(start);
            throw Error(start + 1, $"unexpected '{ch}' where a number, variable, function or '(' was expected");
        }

        Expr Number(int start)
        {
            while (pos < text.Length && (char.IsAsciiDigit(text[pos]) || text[pos] == '.')) pos++;
            if (pos < text.Length && (text[pos] == 'e' || text[pos] == 'E'))
            {
                var k = pos + 1;
                if (k < text.Length && (text[k] == '+' || text[k] == '-')) k++;
                if (k < text.Length && char.IsAsciiDigit(text[k]))
                {
                    pos = k;
                    while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++;
                }
            }
            var token = text[start..pos];
            if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                throw Error(start + 1, $"'{token}' is not a number");
            if (pos < text.Length && (char.IsAsciiLetter(text[pos]) || text[pos] == '('))
                throw Error(pos + 1, $"'{text[pos]}' directly after the number {token}: write the multiplication as '*'");
            return new Constant(value);
        }

        Expr Identifier(int start)
        {
            while (pos < text.Length && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] == '_')) pos++;
            var name = text[start..pos];
            if (Peek("("))
            {
                if (!MathFunctions.TryParse(name, out var function))
                    throw Error(start + 1, $"unknown function '{name}' (known: {string.Join(", ", MathFunctions.Names)})");
                var open = Position;
                pos++;
                var argument = Sum();
                Expect(")", open);
                return new FunctionCall(function, argument);
            }
            if (variables.Contains(name)) return new Variable(name);
            if (name == "pi") return new Constant(Math.PI);
            if (name == "e") return new Constant(Math.E);
            if (MathFunctions.TryParse(name, out _)) throw Error(start + 1, $"the function '{name}' needs an argument in parentheses");
            throw Error(start + 1, $"unknown name '{name}' (variables: {string.Join(", ", variables)}; constants: pi, e)");
        }

        void Expect(string token, int openedAt)
        {
            if (!Accept(token))
            {
                var at = Position;
                throw Error(at + 1, at >= text.Length
                    ? $"missing '{token}' for the '(' at position {openedAt + 1}"
                    : $"expected '{token}' for the '(' at position {openedAt + 1}, found '{text[at]}'");
            }
        }

        bool Peek(string token) => string.CompareOrdinal(text, Position, token, 0, token.Length) == 0;

        bool Accept(string token)
        {
            if (!Peek(token)) return false;
            pos += token.Length;
            return true;
        }

        void SkipSpace()
        {
            while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
        }
    }
}
