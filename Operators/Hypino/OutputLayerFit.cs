using PdeOps.Operators.Pinn;
using PdeOps.Operators.Runtime;
using PdeOps.Physics.Pde;
using static TorchSharp.torch;

namespace PdeOps.Operators.Hypino;

/// <summary>
/// The output layers of an ensemble that minimise its MSE PINN loss on a collocation set, every
/// hidden layer held. u is linear in the output weights and biases, and so, for a linear operator,
/// are L u, u and ∂u/∂n: the loss is a linear least-squares problem in them, solved exactly where
/// gradient descent would only approach its minimum. Refinement's best multiple of a correction is
/// the one-column case.
/// </summary>
internal static class OutputLayerFit
{
    // Points per chunk when differentiating the features: the double-backward graph of all of
    // them at once would hold width × points × width floats per layer.
    const int Chunk = 1024;
    // Tikhonov weight on unit-norm columns: bounds the normal equations' condition number where
    // features are nearly dependent.
    const double Ridge = 1e-7;

    /// <summary>
    /// Replaces every member's output layer by the joint least-squares fit, unless (after rounding
    /// to single precision) it does not lower the loss; returns whether it was applied.
    /// </summary>
    public static bool Fit(PinnEnsemble ensemble, LinearOperator2D op, PinnCollocation points, PinnLoss weights)
    {
        using var scope = NewDisposeScope();
        int members = ensemble.Count, width = ensemble.Options.Width;
        if (members == 0) return false;
        var interior = new List<Tensor>();
        var dirichlet = new List<Tensor>();
        var neumann = new List<Tensor>();
        for (int m = 0; m < members; m++)
        {
            var inside = Derivatives(ensemble, m, points.Interior);
            var edge = Derivatives(ensemble, m, points.Boundary);
            // The bias's column: a constant is changed by L only through its u term.
            interior.Add(Columns(inside.Apply(op), op.U));
            dirichlet.Add(Columns(edge.U, 1));
            // Features are (width, P); the normals (P, 2) broadcast over the width.
            neumann.Add(Columns(edge.Flux(points.Normals.unsqueeze(0)), 0));
        }
        // Rows weighted so that the squared norm of the residual is the loss.
        var dMask = points.DirichletMask.to(float64);
        var nMask = points.NeumannMask.to(float64);
        double rowInterior = 1 / Math.Sqrt(points.Interior.shape[0]);
        var rowDirichlet = dMask.Times(Math.Sqrt(weights.DirichletWeight / Math.Max(1, dMask.sum().item<double>()))).unsqueeze(1);
        var rowNeumann = nMask.Times(Math.Sqrt(weights.NeumannWeight / Math.Max(1, nMask.sum().item<double>()))).unsqueeze(1);
        var a = cat([cat(interior.ToArray(), 1).Times(rowInterior), cat(dirichlet.ToArray(), 1) * rowDirichlet, cat(neumann.ToArray(), 1) * rowNeumann], 0);
        var b = cat([points.Source.to(float64).unsqueeze(1).Times(rowInterior), points.DirichletValue.to(float64).unsqueeze(1) * rowDirichlet,
            points.NeumannValue.to(float64).unsqueeze(1) * rowNeumann], 0);
        var norms = a.square().sum(dim: 0).sqrt();
        norms = norms.Plus(norms.IsAtMost(0).to(float64)); // a column of zeros (the bias of a flux) keeps norm 1
        var scaled = a / norms;
        var gram = scaled.t().matmul(scaled).Plus(eye(a.shape[1], dtype: float64).Times(Ridge));
        var fitted = (linalg.solve(gram, scaled.t().matmul(b)).squeeze(1) / norms).to(float32);
        var present = cat(Enumerable.Range(0, members).Select(ensemble.OutputLayer).ToArray());
        double Loss(Tensor c) => (a.matmul(c.to(float64).unsqueeze(1)) - b).square().sum().item<double>();
        if (!(Loss(fitted) < Loss(present))) return false;
        for (int m = 0; m < members; m++) ensemble.SetOutputLayer(m, fitted.narrow(0, m * (width + 1), width + 1));
        return true;
    }

    /// <summary>
    /// <paramref name="weights"/> with the interior and Neumann terms put in units of u
    /// (<see cref="RefinementWeighting.SolutionUnits"/>): the Dirichlet and Neumann weights
    /// multiplied by ‖L φ‖² / ‖φ‖² over the interior points, the Neumann weight also divided by
    /// ‖∂φ/∂n‖² / ‖φ‖² over the boundary points, φ every member's last-layer features.
    /// </summary>
    public static PinnLoss InSolutionUnits(PinnEnsemble ensemble, LinearOperator2D op, PinnCollocation points, PinnLoss weights)
    {
        using var scope = NewDisposeScope();
        double values = 0, applied = 0, edgeValues = 0, fluxes = 0;
        for (int m = 0; m < ensemble.Count; m++)
        {
            var inside = Derivatives(ensemble, m, points.Interior);
            var edge = Derivatives(ensemble, m, points.Boundary);
            values += inside.U.square().sum().item<float>();
            applied += inside.Apply(op).square().sum().item<float>();
            edgeValues += edge.U.square().sum().item<float>();
            fluxes += edge.Flux(points.Normals.unsqueeze(0)).square().sum().item<float>();
        }
        double interiorRatio = values > 0 && applied > 0 ? applied / values : 1;
        double fluxRatio = edgeValues > 0 && fluxes > 0 ? fluxes / edgeValues : 1;
        return weights with
        {
            DirichletWeight = weights.DirichletWeight * interiorRatio,
            NeumannWeight = weights.NeumannWeight * interiorRatio / fluxRatio,
        };
    }

    // Member m's features (width, P) and their derivatives at the points, differentiated in chunks.
    static PinnDerivatives Derivatives(PinnEnsemble ensemble, int member, Tensor points)
    {
        var parts = new List<PinnDerivatives>();
        for (long start = 0; start < points.shape[0]; start += Chunk)
        {
            using var scope = NewDisposeScope();
            var chunk = points.narrow(0, start, Math.Min(Chunk, points.shape[0] - start));
            var d = PinnDerivatives.Of(p => ensemble.MemberFeatures(member, p), chunk.unsqueeze(0).expand(ensemble.Options.Width, -1, -1).contiguous());
            // Values only: the graph is freed with this chunk's scope.
            var kept = new[] { d.U, d.Ux, d.Uy, d.Uxx, d.Uyy, d.Uxy }.Select(t => t.detach()).ToArray();
            scope.MoveToOuter(kept);
            parts.Add(new PinnDerivatives(kept[0], kept[1], kept[2], kept[3], kept[4], kept[5]));
        }
        Tensor Join(Func<PinnDerivatives, Tensor> part) => cat(parts.Select(part).ToArray(), 1);
        return new PinnDerivatives(Join(d => d.U), Join(d => d.Ux), Join(d => d.Uy), Join(d => d.Uxx), Join(d => d.Uyy), Join(d => d.Uxy));
    }

    // Per-feature values (width, P) as (P, width + 1) columns in double precision, the last one the
    // bias's: the constant <paramref name="biasColumn"/>.
    static Tensor Columns(Tensor features, double biasColumn)
    {
        var columns = features.t().to(float64);
        return cat([columns, HeldScalars.Full([columns.shape[0], 1], biasColumn, float64, columns.device)], 1);
    }
}
