namespace PdeOps.Operators.Hypino;

/// <summary>
/// How refinement weighs the interior, Dirichlet and Neumann residuals in the loss that its step
/// lengths and output-layer refits minimise and that it never lets grow; fine-tuning weighs its
/// loss the same way through <see cref="Hypino.FineTuneLoss"/>.
/// </summary>
public enum RefinementWeighting
{
    /// <summary>
    /// The MSE PINN loss with HyPINO's weights: the residual's mean square, plus 10 times the
    /// Dirichlet term and once the Neumann term.
    /// </summary>
    PinnLoss,

    /// <summary>
    /// The same weights after each term is put in units of u: the residual L u − f divided by the
    /// ratio of the root mean squares of L φ and φ over the last-layer features φ of the PINNs
    /// the round starts from, the flux residual by that of ∂φ/∂n and φ. In the PINN loss a
    /// solution of high frequency or a large source has residuals far larger than its boundary
    /// errors, and the least squares trades boundary error for interior residual; in units of u
    /// an error on the boundary costs what the same error inside does.
    /// </summary>
    SolutionUnits,
}
