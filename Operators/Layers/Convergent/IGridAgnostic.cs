namespace PdeOps.Operators.Layers;

/// <summary>
/// Marks a layer whose result keeps its meaning when the grid changes (it rescales its stencil,
/// resamples, or acts pointwise), so that operator conversion keeps it as it is.
/// </summary>
public interface IGridAgnostic
{
}
