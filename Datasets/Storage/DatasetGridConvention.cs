namespace PdeOps.Datasets.Storage;

/// <summary>
/// Where the grid points of a dataset's fields lie on each spatial axis of [0, L]; stored as the
/// root attribute <c>grid_convention</c> (<see cref="DatasetLayout.GridConventionAttribute"/>)
/// with the names given by <see cref="DatasetGridConventions.Name"/>.
/// </summary>
public enum DatasetGridConvention
{
    /// <summary>"closed": a vertex grid x_i = i L / (n - 1) with both ends of the interval (Darcy, Poisson, Helmholtz, heat).</summary>
    Closed,
    /// <summary>"periodic": x_i = i L / n; the right end is the left one and is not stored (Burgers, Navier-Stokes).</summary>
    Periodic,
    /// <summary>"cell-centred": x_i = (i + 1/2) L / n, the midpoints of n cells; neither end is stored.</summary>
    CellCentred,
}

/// <summary>The names of <see cref="DatasetGridConvention"/> values in dataset files.</summary>
public static class DatasetGridConventions
{
    /// <summary>"closed", "periodic" or "cell-centred".</summary>
    public static string Name(this DatasetGridConvention convention) => convention switch
    {
        DatasetGridConvention.Closed => "closed",
        DatasetGridConvention.Periodic => "periodic",
        DatasetGridConvention.CellCentred => "cell-centred",
        _ => throw new ArgumentOutOfRangeException(nameof(convention), convention, "unknown grid convention"),
    };

    /// <summary>The convention named <paramref name="name"/> ("closed", "periodic", "cell-centred"), or null for null or any other text.</summary>
    public static DatasetGridConvention? Parse(string? name) => name switch
    {
        "closed" => DatasetGridConvention.Closed,
        "periodic" => DatasetGridConvention.Periodic,
        "cell-centred" => DatasetGridConvention.CellCentred,
        _ => null,
    };
}
