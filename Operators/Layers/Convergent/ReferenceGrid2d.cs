using PdeOps.Operators.Losses;

namespace PdeOps.Operators.Layers;

/// <summary>
/// The points per axis (height, width) of the grid a layer's stencil was learned on, with the
/// grid convention that turns point counts into spacings. A layer given another grid compares
/// spacings through <see cref="Refinement"/>.
/// </summary>
/// <param name="Height">Points along the first spatial axis.</param>
/// <param name="Width">Points along the second spatial axis.</param>
/// <param name="Convention">Where the points lie (closed or periodic).</param>
public sealed record ReferenceGrid2d(long Height, long Width, GridConvention Convention)
{
    /// <summary>How many times finer (height, width) is than this grid along each axis.</summary>
    public (double Height, double Width) Refinement(long height, long width) =>
        (GridResolution.Refinement(Height, height, Convention), GridResolution.Refinement(Width, width, Convention));

    /// <summary>Whether (height, width) is this grid.</summary>
    public bool Matches(long height, long width) => height == Height && width == Width;

    /// <summary>"HxW".</summary>
    public override string ToString() => $"{Height}x{Width}";
}
