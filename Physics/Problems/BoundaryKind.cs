namespace PdeOps.Physics.Problems;

/// <summary>The type of condition imposed on one side of a rectangular domain.</summary>
public enum BoundaryKind
{
    /// <summary>The solution is prescribed: u = g.</summary>
    Dirichlet,
    /// <summary>The outward conormal flux is prescribed: a du/dn = g.</summary>
    Neumann,
    /// <summary>The side is identified with the opposite side; both must be periodic.</summary>
    Periodic,
}

/// <summary>A side of a rectangular domain.</summary>
public enum BoundarySide
{
    /// <summary>x = 0.</summary>
    West,
    /// <summary>x = Lx.</summary>
    East,
    /// <summary>y = 0.</summary>
    South,
    /// <summary>y = Ly.</summary>
    North,
}

/// <summary>Text forms of <see cref="BoundaryKind"/>.</summary>
public static class BoundaryKinds
{
    /// <summary>Parses "dirichlet", "neumann" or "periodic" (or their first letters), ignoring case.</summary>
    /// <exception cref="FormatException">The text names no kind.</exception>
    public static BoundaryKind Parse(string s) => s.ToLowerInvariant() switch
    {
        "d" or "dirichlet" => BoundaryKind.Dirichlet,
        "n" or "neumann" => BoundaryKind.Neumann,
        "p" or "periodic" => BoundaryKind.Periodic,
        _ => throw new FormatException($"unknown boundary kind '{s}' (dirichlet, neumann or periodic)"),
    };
}
