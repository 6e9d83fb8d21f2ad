using PdeOps.Solvers.Elliptic;

namespace PdeOps.Solvers.Elliptic3D;

/// <summary>
/// Linear interpolation weights along one axis between a fine and a coarse <see cref="AxisLayout"/>,
/// stored both ways so prolongation and restriction can each be written as a gather:
/// <see cref="Fine"/>[i] lists (coarse index, weight) for fine unknown i, <see cref="Coarse"/>[I]
/// lists (fine index, weight) for coarse unknown I. Trilinear transfer is the product of three.
/// </summary>
internal sealed class AxisTransfer
{
    /// <summary>Builds the weights from <see cref="AxisLayout.InterpolationWeights"/>.</summary>
    public AxisTransfer(AxisLayout fine, AxisLayout coarse)
    {
        Fine = new (int, double)[fine.Count][];
        var gather = Enumerable.Range(0, coarse.Count).Select(_ => new List<(int, double)>()).ToArray();
        Span<int> index = stackalloc int[2];
        Span<double> weight = stackalloc double[2];
        for (int i = 0; i < fine.Count; i++)
        {
            int n = fine.InterpolationWeights(coarse, i, index, weight);
            Fine[i] = new (int, double)[n];
            for (int t = 0; t < n; t++)
            {
                Fine[i][t] = (index[t], weight[t]);
                gather[index[t]].Add((i, weight[t]));
            }
        }
        Coarse = gather.Select(l => l.ToArray()).ToArray();
    }

    /// <summary>Per fine unknown: the coarse unknowns it interpolates from, with weights.</summary>
    public (int Index, double Weight)[][] Fine { get; }
    /// <summary>Per coarse unknown: the fine unknowns it restricts from, with the same weights.</summary>
    public (int Index, double Weight)[][] Coarse { get; }
}
