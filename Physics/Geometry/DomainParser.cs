using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Geometry;

/// <summary>
/// Reads domain text: "square" followed by holes, each "- shape(arguments)":
/// disk(cx, cy, r), rect(x0, y0, width, height[, degrees]), triangle(x1, y1, x2, y2, x3, y3),
/// polygon(x1, y1, ..., xn, yn). Arguments are constant expressions ("1/3", "0.5*sqrt(2)").
/// </summary>
static class DomainParser
{
    public static IReadOnlyList<Shape2D> ParseHoles(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pos = SkipSpace(text, 0);
        if (!Matches(text, pos, "square"))
            throw new ExpressionParseException(text, pos + 1, "a domain starts with 'square' (the square [-1, 1]^2), then '- shape(...)' for each hole");
        pos = SkipSpace(text, pos + "square".Length);
        var holes = new List<Shape2D>();
        while (pos < text.Length)
        {
            if (text[pos] != '-') throw new ExpressionParseException(text, pos + 1, $"expected '-' before a hole, found '{text[pos]}'");
            pos = SkipSpace(text, pos + 1);
            var nameStart = pos;
            while (pos < text.Length && char.IsAsciiLetter(text[pos])) pos++;
            var name = text[nameStart..pos];
            pos = SkipSpace(text, pos);
            if (name.Length == 0 || pos >= text.Length || text[pos] != '(')
                throw new ExpressionParseException(text, nameStart + 1, "expected a hole: disk(...), rect(...), triangle(...) or polygon(...)");
            var (arguments, end) = Arguments(text, pos);
            holes.Add(Build(text, nameStart, name, arguments));
            pos = SkipSpace(text, end);
        }
        return holes;
    }

    static Shape2D Build(string text, int at, string name, double[] a)
    {
        void Need(bool ok, string what)
        {
            if (!ok) throw new ExpressionParseException(text, at + 1, $"{name} takes {what} (got {a.Length} arguments)");
        }
        try
        {
            switch (name)
            {
                case "disk": Need(a.Length == 3, "cx, cy, r"); return new Disk(a[0], a[1], a[2]);
                case "rect": Need(a.Length is 4 or 5, "x0, y0, width, height[, degrees]"); return Polygon.Rectangle(a[0], a[1], a[2], a[3], a.Length == 5 ? a[4] : 0);
                case "triangle": Need(a.Length == 6, "x1, y1, x2, y2, x3, y3"); return Polygon.Triangle(a[0], a[1], a[2], a[3], a[4], a[5]);
                case "polygon":
                    Need(a.Length >= 6 && a.Length % 2 == 0, "x1, y1, ..., xn, yn with n >= 3");
                    return Polygon.Through(Enumerable.Range(0, a.Length / 2).Select(k => (a[2 * k], a[2 * k + 1])).ToArray());
                default:
                    throw new ExpressionParseException(text, at + 1, $"unknown shape '{name}' (known: disk, rect, triangle, polygon)");
            }
        }
        catch (ArgumentException e)
        {
            throw new ExpressionParseException(text, at + 1, e.Message);
        }
    }

    static (double[] Values, int End) Arguments(string text, int open)
    {
        var values = new List<double>();
        var depth = 0;
        var start = open + 1;
        for (var k = open; k < text.Length; k++)
        {
            var ch = text[k];
            if (ch == '(') depth++;
            else if (ch == ')' || (ch == ',' && depth == 1))
            {
                if (ch == ')' && --depth > 0) continue;
                values.Add(Constant(text, start, k));
                start = k + 1;
                if (ch == ')') return (values.ToArray(), k + 1);
            }
        }
        throw new ExpressionParseException(text, text.Length + 1, $"missing ')' for the '(' at position {open + 1}");
    }

    static double Constant(string text, int start, int end)
    {
        var piece = text[start..end];
        try
        {
            var value = Expr.Parse(piece, []).Evaluate(_ => double.NaN);
            if (!double.IsFinite(value)) throw new ExpressionParseException(text, start + 1, $"'{piece.Trim()}' is not a finite number");
            return value;
        }
        catch (ExpressionParseException e) when (!ReferenceEquals(e.Text, text))
        {
            throw new ExpressionParseException(text, start + e.Position, e.Reason);
        }
    }

    static bool Matches(string text, int pos, string word) =>
        string.CompareOrdinal(text, pos, word, 0, word.Length) == 0
        && (pos + word.Length == text.Length || !char.IsAsciiLetterOrDigit(text[pos + word.Length]));

    static int SkipSpace(string text, int pos)
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
        return pos;
    }
}
