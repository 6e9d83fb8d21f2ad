using PdeOps.Physics.Problems;

namespace PdeOps.Solvers.Elliptic;

/// <summary>
/// Which vertices of one axis carry unknowns, given the axis' interval count and the kinds of its
/// two ends, and how that axis coarsens. Vertices are 0..M; a Dirichlet end excludes its vertex,
/// a periodic axis identifies vertex M with vertex 0. Coarse vertex I sits at fine vertex 2I.
/// An axis with an odd interval count and a Dirichlet high end coarsens too: its coarse grid has
/// (M + 1) / 2 intervals, and the extra coarse boundary vertex, which carries no unknown, stands for
/// fine vertex M. Galerkin operators never see coordinates, so grids such as the 421-point FNO grid
/// (420 -> 210 -> 105 -> 53 -> ...) coarsen all the way down.
/// </summary>
public sealed record AxisLayout(int Intervals, BoundaryKind Low, BoundaryKind High)
{
    /// <summary>True when the ends are identified.</summary>
    public bool Periodic => Low == BoundaryKind.Periodic;

    /// <summary>Vertex index of the first unknown.</summary>
    public int FirstVertex => Low == BoundaryKind.Dirichlet ? 1 : 0;

    /// <summary>Vertex index of the last unknown.</summary>
    public int LastVertex => High == BoundaryKind.Dirichlet || Periodic ? Intervals - 1 : Intervals;

    /// <summary>Unknowns along the axis.</summary>
    public int Count => LastVertex - FirstVertex + 1;

    /// <summary>
    /// True when the axis halves to a grid that still has at least two intervals: an even interval
    /// count, or an odd one ending in a Dirichlet vertex.
    /// </summary>
    public bool CanCoarsen => Intervals >= 4 && (Intervals % 2 == 0 || High == BoundaryKind.Dirichlet && !Periodic);

    /// <summary>The axis with half as many intervals (rounded up) and the same ends.</summary>
    public AxisLayout Coarsen() => this with { Intervals = (Intervals + 1) / 2 };

    /// <summary>Unknown index of vertex v, or -1 when v carries no unknown (wrapping periodic vertices).</summary>
    public int UnknownOf(int vertex)
    {
        if (Periodic) vertex = ((vertex % Intervals) + Intervals) % Intervals;
        return vertex < FirstVertex || vertex > LastVertex ? -1 : vertex - FirstVertex;
    }

    /// <summary>
    /// Linear interpolation weights from the coarse axis to fine unknown i: one coarse unknown with
    /// weight 1 where the vertices coincide, else the two neighbours with weight 1/2 each;
    /// Dirichlet boundary vertices (value zero for corrections) are left out.
    /// </summary>
    public int InterpolationWeights(AxisLayout coarse, int i, Span<int> coarseIndex, Span<double> weight)
    {
        int v = FirstVertex + i;
        if ((v & 1) == 0)
        {
            coarseIndex[0] = coarse.UnknownOf(v / 2);
            weight[0] = 1;
            return coarseIndex[0] >= 0 ? 1 : 0;
        }
        int count = 0;
        foreach (int cv in new[] { (v - 1) / 2, (v + 1) / 2 })
        {
            int k = coarse.UnknownOf(cv);
            if (k < 0) continue;
            coarseIndex[count] = k;
            weight[count] = 0.5;
            count++;
        }
        return count;
    }
}
