using PdeOps.Physics.Pde;
using PdeOps.Physics.Problems;
using PdeOps.Physics.RandomFields;
using static TorchSharp.torch;

namespace PdeOps.Operators.Pinn;

/// <summary>
/// The points a PINN is trained on for one problem, as float32 tensors: interior points with the
/// source f there, and boundary points with outward normals, Dirichlet and Neumann targets and
/// masks saying which condition each point carries (a point may carry both, or none on the final
/// time of a time-dependent problem).
/// </summary>
public sealed class PinnCollocation : IDisposable
{
    /// <summary>Samples <paramref name="interior"/> interior and <paramref name="boundary"/> boundary points of <paramref name="problem"/> from <paramref name="seed"/>.</summary>
    public PinnCollocation(Problem2D problem, int interior, int boundary, long seed)
    {
        if (interior < 1 || boundary < 1) throw new ArgumentOutOfRangeException(nameof(interior), "a PINN needs interior and boundary points");
        var random = new SampleRandom(seed, 0, stream: 7);
        var (x, y) = problem.Domain.SampleInterior(interior, random);
        var f = new double[interior];
        problem.Source.Compile2D().Evaluate(x, y, f);
        var b = problem.Domain.SampleBoundary(boundary, random);
        var (gD, mD, gN, mN) = (new float[boundary], new float[boundary], new float[boundary], new float[boundary]);
        var bySegment = problem.Domain.SegmentNames.Select(s => problem.On(s).ToArray()).ToArray();
        for (var k = 0; k < boundary; k++)
            foreach (var c in bySegment[b.Segment[k]])
            {
                var value = (float)c.Evaluate(b.X[k], b.Y[k], b.NormalX[k], b.NormalY[k]);
                if (c.Kind == BoundaryKind.Dirichlet) (gD[k], mD[k]) = (value, 1);
                else (gN[k], mN[k]) = (value, 1);
            }
        Interior = Points(x, y);
        Source = tensor(f.Select(v => (float)v).ToArray());
        Boundary = Points(b.X, b.Y);
        Normals = Points(b.NormalX, b.NormalY);
        (DirichletValue, DirichletMask, NeumannValue, NeumannMask) = (tensor(gD), tensor(mD), tensor(gN), tensor(mN));
        foreach (var t in new[] { Interior, Source, Boundary, Normals, DirichletValue, DirichletMask, NeumannValue, NeumannMask })
            t.DetachFromDisposeScope();
    }

    /// <summary>Interior points (N, 2).</summary>
    public Tensor Interior { get; }
    /// <summary>f at the interior points (N).</summary>
    public Tensor Source { get; }
    /// <summary>Boundary points (B, 2).</summary>
    public Tensor Boundary { get; }
    /// <summary>Outward unit normals at the boundary points (B, 2).</summary>
    public Tensor Normals { get; }
    /// <summary>Dirichlet data (B), 0 where there is none.</summary>
    public Tensor DirichletValue { get; }
    /// <summary>1 where a point carries a Dirichlet condition (B).</summary>
    public Tensor DirichletMask { get; }
    /// <summary>Neumann data ∂u/∂n (B), 0 where there is none.</summary>
    public Tensor NeumannValue { get; }
    /// <summary>1 where a point carries a Neumann condition (B).</summary>
    public Tensor NeumannMask { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var t in new[] { Interior, Source, Boundary, Normals, DirichletValue, DirichletMask, NeumannValue, NeumannMask })
            t.Dispose();
    }

    static Tensor Points(double[] x, double[] y)
    {
        var data = new float[x.Length * 2];
        for (var i = 0; i < x.Length; i++) (data[2 * i], data[2 * i + 1]) = ((float)x[i], (float)y[i]);
        return tensor(data).reshape(x.Length, 2);
    }
}
