using PdeOps.Operators.Runtime;
using PdeOps.Physics.Pde;
using static TorchSharp.torch;

namespace PdeOps.Operators.Pinn;

/// <summary>How the PINN terms are penalised.</summary>
public enum PinnPenalty
{
    /// <summary>Mean squared error.</summary>
    Mse,
    /// <summary>Huber loss with δ = 1 (HyPINO's choice): quadratic near zero, linear beyond.</summary>
    Huber,
}

/// <summary>The terms of a PINN loss at one evaluation.</summary>
/// <param name="Total">The weighted sum that is minimised.</param>
/// <param name="Residual">Penalty of L u − f at the interior points.</param>
/// <param name="Dirichlet">Penalty of u − g_D where a Dirichlet condition holds.</param>
/// <param name="Neumann">Penalty of ∂u/∂n − g_N where a Neumann condition holds.</param>
public sealed record PinnLossTerms(Tensor Total, Tensor Residual, Tensor Dirichlet, Tensor Neumann);

/// <summary>The physics-informed loss of a linear problem: residual, Dirichlet and Neumann terms, weighted.</summary>
/// <param name="Penalty">MSE or Huber.</param>
/// <param name="DirichletWeight">Weight of the Dirichlet term (HyPINO: 10).</param>
/// <param name="NeumannWeight">Weight of the Neumann term (HyPINO: 1).</param>
public sealed record PinnLoss(PinnPenalty Penalty = PinnPenalty.Mse, double DirichletWeight = 10, double NeumannWeight = 1)
{
    /// <summary>The loss of <paramref name="network"/> on <paramref name="points"/> for operator <paramref name="op"/>.</summary>
    public PinnLossTerms Evaluate(Func<Tensor, Tensor> network, LinearOperator2D op, PinnCollocation points)
    {
        var inside = PinnDerivatives.Of(network, points.Interior);
        var residual = MaskedMean(Penalty, inside.Apply(op) - points.Source, null);
        var edge = PinnDerivatives.Of(network, points.Boundary);
        var dirichlet = MaskedMean(Penalty, edge.U - points.DirichletValue, points.DirichletMask);
        var flux = edge.Flux(points.Normals);
        var neumann = MaskedMean(Penalty, flux - points.NeumannValue, points.NeumannMask);
        return new PinnLossTerms(residual.PlusScaled(dirichlet, DirichletWeight).PlusScaled(neumann, NeumannWeight), residual, dirichlet, neumann);
    }

    /// <summary>The mean penalty of <paramref name="error"/> over the points where <paramref name="mask"/> is 1 (all when null).</summary>
    internal static Tensor MaskedMean(PinnPenalty kind, Tensor error, Tensor? mask)
    {
        var penalty = kind == PinnPenalty.Mse
            ? error.square()
            : nn.functional.huber_loss(error, zeros_like(error), reduction: nn.Reduction.None);
        if (mask is null) return penalty.mean();
        return (penalty * mask).sum() / mask.sum().AtLeast(1);
    }
}
