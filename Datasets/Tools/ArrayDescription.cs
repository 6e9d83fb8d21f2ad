using PdeOps.Datasets.Readers;

namespace PdeOps.Datasets.Tools;

/// <summary>
/// One array of a dataset file as <see cref="DatasetInfo.Describe"/> reports it: its shape as the
/// readers present it (samples first), where it is stored, and statistics over its finite values.
/// </summary>
/// <param name="Name">Name as presented by <see cref="DatasetReader"/>, e.g. "coefficient" or "x".</param>
/// <param name="Role">Input, output or coordinate.</param>
/// <param name="Shape">Presented shape, samples first for inputs and outputs.</param>
/// <param name="Dtype">Stored element type, "float32" or "float64".</param>
/// <param name="Source">Stored dataset it comes from, e.g. "tensor[:, 0]" or "coeff (axes reversed)".</param>
/// <param name="StoredShape">Dimensions of that dataset in the file.</param>
/// <param name="Min">Smallest finite value (NaN when there is none).</param>
/// <param name="Max">Largest finite value (NaN when there is none).</param>
/// <param name="Mean">Mean of the finite values.</param>
/// <param name="Std">Population standard deviation of the finite values.</param>
/// <param name="NonFinite">Number of NaN or infinite values.</param>
public sealed record ArrayDescription(
    string Name,
    DatasetArrayRole Role,
    IReadOnlyList<long> Shape,
    string Dtype,
    string Source,
    IReadOnlyList<long> StoredShape,
    double Min,
    double Max,
    double Mean,
    double Std,
    long NonFinite);
