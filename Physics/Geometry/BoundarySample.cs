namespace PdeOps.Physics.Geometry;

/// <summary>
/// Points on a domain's boundary with the outward unit normals of the domain and the index of the
/// boundary segment each lies on (<see cref="Domain2D.SegmentNames"/>).
/// </summary>
/// <param name="X">x coordinates.</param>
/// <param name="Y">y coordinates.</param>
/// <param name="NormalX">x components of the outward normals.</param>
/// <param name="NormalY">y components of the outward normals.</param>
/// <param name="Segment">Segment index of each point.</param>
public sealed record BoundarySample(double[] X, double[] Y, double[] NormalX, double[] NormalY, int[] Segment)
{
    /// <summary>Number of points.</summary>
    public int Count => X.Length;
}
