using PdeOps.Operators.Runtime;
using PdeOps.Physics.Pde;
using static TorchSharp.torch;

namespace PdeOps.Operators.Pinn;

/// <summary>u and its first and second derivatives at a set of points, through autograd.</summary>
/// <param name="U">u.</param>
/// <param name="Ux">∂u/∂x.</param>
/// <param name="Uy">∂u/∂y.</param>
/// <param name="Uxx">∂²u/∂x².</param>
/// <param name="Uyy">∂²u/∂y².</param>
/// <param name="Uxy">∂²u/∂x∂y.</param>
public sealed record PinnDerivatives(Tensor U, Tensor Ux, Tensor Uy, Tensor Uxx, Tensor Uyy, Tensor Uxy)
{
    /// <summary>
    /// Evaluates <paramref name="network"/> at <paramref name="points"/> (..., 2) and differentiates
    /// it twice. Each output depends only on its own point, so the gradient of the sum is the
    /// pointwise derivative. The graph is kept so that losses built on the result can be trained.
    /// </summary>
    public static PinnDerivatives Of(Func<Tensor, Tensor> network, Tensor points)
    {
        var p = points.detach().requires_grad_(true);
        var u = network(p);
        var g = Grad(u, p);
        var (ux, uy) = (g[TensorIndex.Ellipsis, 0], g[TensorIndex.Ellipsis, 1]);
        var gx = Grad(ux, p);
        var uyy = Grad(uy, p)[TensorIndex.Ellipsis, 1];
        return new PinnDerivatives(u, ux, uy, gx[TensorIndex.Ellipsis, 0], uyy, gx[TensorIndex.Ellipsis, 1]) { Points = p };
    }

    /// <summary>The points, as the leaf the derivatives were taken with respect to.</summary>
    public Tensor Points { get; private init; } = null!;

    /// <summary>∂u/∂n = ux nx + uy ny for unit normals (..., 2) at the same points.</summary>
    public Tensor Flux(Tensor normals) =>
        (Ux * normals[TensorIndex.Ellipsis, 0]).Plus(Uy * normals[TensorIndex.Ellipsis, 1]);

    /// <summary>L u with the operator's coefficients.</summary>
    public Tensor Apply(LinearOperator2D op)
    {
        var result = zeros_like(U);
        void Add(double c, Tensor term)
        {
            if (c != 0) result = result.PlusScaled(term, c);
        }
        Add(op.U, U);
        Add(op.Ux, Ux);
        Add(op.Uy, Uy);
        Add(op.Uxx, Uxx);
        Add(op.Uyy, Uyy);
        Add(op.Uxy, Uxy);
        return result;
    }

    static Tensor Grad(Tensor output, Tensor input) =>
        autograd.grad([output.sum()], [input], retain_graph: true, create_graph: true)[0];
}
