namespace PdeOps.Physics.Symbolic;

/// <summary>Text that is not an expression, with where and why.</summary>
public sealed class ExpressionParseException : FormatException
{
    /// <summary>Creates the exception; the message reads "at position P in 'TEXT': REASON".</summary>
    /// <param name="text">The text that was parsed.</param>
    /// <param name="position">The 1-based character position of the problem.</param>
    /// <param name="reason">What is wrong there.</param>
    public ExpressionParseException(string text, int position, string reason)
        : base($"at position {position} in '{text}': {reason}")
    {
        Text = text;
        Position = position;
        Reason = reason;
    }

    /// <summary>The text that was parsed.</summary>
    public string Text { get; }

    /// <summary>The 1-based character position of the problem.</summary>
    public int Position { get; }

    /// <summary>What is wrong at <see cref="Position"/>.</summary>
    public string Reason { get; }
}
