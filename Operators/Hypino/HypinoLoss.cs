using PdeOps.Operators.Pinn;
using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Hypino;

/// <summary>The terms of a <see cref="HypinoLoss"/> on one batch (each a mean over its points and problems).</summary>
/// <param name="Total">The weighted sum that is minimised.</param>
/// <param name="Residual">L u − f at the interior points, every problem.</param>
/// <param name="Solution">u against the known solution, supervised problems only.</param>
/// <param name="Derivatives">ux, uy, uxx, uyy against the known solution's, supervised problems only.</param>
/// <param name="Dirichlet">u − g_D where a Dirichlet condition holds.</param>
/// <param name="Neumann">∂u/∂n − g_N where a Neumann condition holds.</param>
public sealed record HypinoLossTerms(Tensor Total, Tensor Residual, Tensor Solution, Tensor Derivatives, Tensor Dirichlet, Tensor Neumann);

/// <summary>
/// HyPINO's mixed supervision: manufactured problems score the generated PINN's u and derivatives
/// against their known solution at the interior points, every problem scores its PDE residual
/// (through autograd) and its boundary conditions, each term penalised by <see cref="PinnPenalty"/>.
/// Physics-only problems (no known solution) train on the residual and boundary terms alone.
/// </summary>
/// <param name="Penalty">Huber (δ = 1, HyPINO's choice) or MSE.</param>
/// <param name="ResidualWeight">Weight of the residual term.</param>
/// <param name="SolutionWeight">Weight of the solution term.</param>
/// <param name="DerivativeWeight">Weight of the derivative term.</param>
/// <param name="DirichletWeight">Weight of the Dirichlet term.</param>
/// <param name="NeumannWeight">Weight of the Neumann term.</param>
public sealed record HypinoLoss(PinnPenalty Penalty = PinnPenalty.Huber, double ResidualWeight = 1, double SolutionWeight = 10,
    double DerivativeWeight = 1, double DirichletWeight = 10, double NeumannWeight = 1)
{
    /// <summary>The loss of the PINNs <paramref name="network"/> writes for <paramref name="batch"/>.</summary>
    public HypinoLossTerms Evaluate(HypinoNetwork network, HypinoBatch batch)
    {
        var (flat, factor) = network.Write(batch.Channels, batch.Coefficients);
        var (interior, boundary) = (batch.Interior, batch.Boundary);
        if (factor is not null)
        {
            // Scored in units of each problem's own size: a supervised problem's data, solution and
            // answer divided by the solution's RMS, a physics-only one as the network reads it.
            // Scaled data have solutions of any size (the data's size says little about u's), and
            // scored in one unit the problems with the largest would steer every step.
            var rms = interior.select(2, 3).square().mean([1]).sqrt().AtLeast(1e-6);
            var unit = where(batch.Supervised.IsAtMost(0), factor, rms.reciprocal());
            flat = network.Multiplied(flat, unit / factor);
            // Interior: f, u and its derivatives; boundary: g_D and g_N (HypinoBatch's column layout).
            interior = ColumnsTimes(interior, unit, [2, 3, 4, 5, 6, 7]);
            boundary = ColumnsTimes(boundary, unit, [4, 6]);
        }
        Tensor Pinns(Tensor points) => network.EvaluatePinns(flat, points);
        Tensor Column(Tensor t, int k) => t[TensorIndex.Ellipsis, k];

        var inside = PinnDerivatives.Of(Pinns, interior[TensorIndex.Ellipsis, ..2]);
        var c = batch.Coefficients.unsqueeze(1);                                     // (B, 1, 6): u, ux, uy, uxx, uyy, uxy
        var terms = new[] { inside.U, inside.Ux, inside.Uy, inside.Uxx, inside.Uyy, inside.Uxy };
        var lu = terms.Select((t, k) => c[TensorIndex.Ellipsis, k] * t).Aggregate(HeldScalars.Plus);
        var residual = PinnLoss.MaskedMean(Penalty, lu - Column(interior, 2), null);

        var weight = batch.Supervised.unsqueeze(1).expand_as(inside.U);
        var solution = PinnLoss.MaskedMean(Penalty, inside.U - Column(interior, 3), weight);
        var derivativeWeight = (batch.DerivativesSupervised ?? batch.Supervised).unsqueeze(1).expand_as(inside.U);
        var derivatives = new[] { (inside.Ux, 4), (inside.Uy, 5), (inside.Uxx, 6), (inside.Uyy, 7) }
            .Select(p => PinnLoss.MaskedMean(Penalty, p.Item1 - Column(interior, p.Item2), derivativeWeight)).Aggregate(HeldScalars.Plus).Times(0.25);

        var edge = PinnDerivatives.Of(Pinns, boundary[TensorIndex.Ellipsis, ..2]);
        var dirichlet = PinnLoss.MaskedMean(Penalty, edge.U - Column(boundary, 4), Column(boundary, 5));
        var flux = (edge.Ux * Column(boundary, 2)).Plus(edge.Uy * Column(boundary, 3));
        var neumann = PinnLoss.MaskedMean(Penalty, flux - Column(boundary, 6), Column(boundary, 7));

        var total = residual.Times(ResidualWeight).PlusScaled(solution, SolutionWeight).PlusScaled(derivatives, DerivativeWeight)
            .PlusScaled(dirichlet, DirichletWeight).PlusScaled(neumann, NeumannWeight);
        return new HypinoLossTerms(total, residual, solution, derivatives, dirichlet, neumann);
    }

    // points (batch, P, C) with the given columns of problem b multiplied by factor[b].
    static Tensor ColumnsTimes(Tensor points, Tensor factor, int[] columns)
    {
        var chosen = tensor(Enumerable.Range(0, (int)points.shape[2]).Select(columns.Contains).ToArray(), device: points.device);
        return where(chosen, points * factor.reshape(-1, 1, 1), points);
    }
}
