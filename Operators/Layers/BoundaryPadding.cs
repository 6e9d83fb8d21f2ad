using System.Text.Json.Serialization;

namespace PdeOps.Operators.Layers;

/// <summary>
/// How convolutions of a multigrid layer see beyond the edge of the grid, chosen by the problem's
/// boundary condition (He, Liu, Xu, "MgNO", ICLR 2024, Sec. 4: the padding of the convolutions
/// encodes the boundary condition).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<BoundaryPadding>))]
public enum BoundaryPadding
{
    /// <summary>Zero padding: homogeneous Dirichlet conditions.</summary>
    Dirichlet,

    /// <summary>Circular padding: periodic conditions.</summary>
    Periodic,

    /// <summary>Reflection about the edge point: homogeneous Neumann conditions.</summary>
    Neumann,
}
