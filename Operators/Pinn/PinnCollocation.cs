using PdeOps.Physics.Pde;
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
        var data = problem.DataAt(b);
        Interior = Points(x, y);
        Source = Single(f);
        Boundary = Points(b.X, b.Y);
        Normals = Points(b.NormalX, b.NormalY);
        (DirichletValue, DirichletMask, NeumannValue, NeumannMask) =
            (Single(data.DirichletValue), Single(data.DirichletMask), Single(data.NeumannValue), Single(data.NeumannMask));
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

    static Tensor Single(double[] values) => tensor(values.Select(v => (float)v).ToArray());

    static Tensor Points(double[] x, double[] y)
    {
        var data = new float[x.Length * 2];
        for (var i = 0; i < x.Length; i++) (data[2 * i], data[2 * i + 1]) = ((float)x[i], (float)y[i]);
        return tensor(data).reshape(x.Length, 2);
    }
}
