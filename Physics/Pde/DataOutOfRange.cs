using System.Globalization;

namespace PdeOps.Physics.Pde;

/// <summary>
/// A place where a problem's data are not a finite number, or larger in magnitude than a solver
/// can hold (<see cref="Problem2D.FirstDataOutOfRange"/>): a source such as 1/x at x = 0, boundary
/// data that overflow, an exact solution of NaN.
/// </summary>
/// <param name="Term">Which datum: the source, the exact solution, or a condition's data.</param>
/// <param name="Segment">The boundary segment, for a condition's data; else null.</param>
/// <param name="X">Where, x.</param>
/// <param name="Y">Where, y.</param>
/// <param name="Value">The value there: NaN, an infinity, or a number beyond <paramref name="Largest"/>.</param>
/// <param name="Largest">The largest magnitude the check allowed.</param>
public sealed record DataOutOfRange(DataOutOfRange.Part Term, string? Segment, double X, double Y, double Value, double Largest)
{
    /// <summary>The data of a problem.</summary>
    public enum Part
    {
        /// <summary>The source f.</summary>
        Source,
        /// <summary>The exact solution.</summary>
        Exact,
        /// <summary>Dirichlet data on <see cref="Segment"/>.</summary>
        Dirichlet,
        /// <summary>Neumann data on <see cref="Segment"/>.</summary>
        Neumann,
    }

    /// <summary>"the source is +infinity at (x, y) = (0, 0.5): not a finite number", "the Dirichlet data on left are 2.7E+43 at ...: larger in magnitude than 3.4E+38".</summary>
    public override string ToString()
    {
        string what = Term switch
        {
            Part.Source => "the source is",
            Part.Exact => "the exact solution is",
            _ => $"the {Term} data on {Segment} are",
        };
        string at = string.Create(CultureInfo.InvariantCulture, $"at (x, y) = ({X:G6}, {Y:G6})");
        if (double.IsFinite(Value)) return string.Create(CultureInfo.InvariantCulture, $"{what} {Value:G3} {at}: larger in magnitude than {Largest:G3}");
        return $"{what} {(double.IsNaN(Value) ? "NaN" : Value > 0 ? "+infinity" : "-infinity")} {at}: not a finite number";
    }
}
