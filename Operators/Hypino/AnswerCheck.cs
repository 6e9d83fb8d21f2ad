namespace PdeOps.Operators.Hypino;

/// <summary>
/// How well an answer satisfies its problem, measured without a truth: its PINN loss beside that of
/// the answer u = 0, both in the units refinement weighs in (<see cref="Hypino.Check"/>). An answer
/// whose loss is not well below u = 0's is likely to have learned little of the problem: zero-shot,
/// that happens where a source drives the solution and the boundary data are zero. It is an indicator,
/// not the error: derivatives amplify small errors, so a close answer to a problem with steep fronts can
/// keep a loss near u = 0's, and a loss well below it does not prove accuracy.
/// </summary>
/// <param name="Loss">The answer's MSE PINN loss (interior residual, weighted boundary terms).</param>
/// <param name="ZeroAnswerLoss">The same loss of u = 0: the problem's data in those units.</param>
public sealed record AnswerCheck(double Loss, double ZeroAnswerLoss)
{
    /// <summary>Loss over <see cref="ZeroAnswerLoss"/>; NaN when the data are zero (u = 0 solves the problem).</summary>
    public double Ratio => ZeroAnswerLoss > 0 ? Loss / ZeroAnswerLoss : double.NaN;

    /// <summary>Whether the answer's loss is more than half of u = 0's: by its residual, barely better than zero.</summary>
    public bool BarelyBetterThanZero => Ratio > 0.5;
}
