namespace PdeOps.Physics.Problems;

/// <summary>
/// Boundary conditions on the six sides of a box (west x = 0, east x = Lx, south y = 0,
/// north y = Ly, bottom z = 0, top z = Lz); the 3D counterpart of <see cref="BoundaryConditions2D"/>.
/// Periodic sides come in opposite pairs.
/// </summary>
public sealed record BoundaryConditions3D
{
    /// <summary>Creates the conditions, checking that periodic sides are paired.</summary>
    /// <exception cref="ArgumentException">Only one side of an axis is periodic.</exception>
    public BoundaryConditions3D(BoundaryKind west, BoundaryKind east, BoundaryKind south, BoundaryKind north, BoundaryKind bottom, BoundaryKind top)
    {
        CheckPair("west", west, "east", east);
        CheckPair("south", south, "north", north);
        CheckPair("bottom", bottom, "top", top);
        West = west; East = east; South = south; North = north; Bottom = bottom; Top = top;
    }

    static void CheckPair(string low, BoundaryKind lowKind, string high, BoundaryKind highKind)
    {
        if ((lowKind == BoundaryKind.Periodic) != (highKind == BoundaryKind.Periodic))
            throw new ArgumentException($"periodic boundaries come in pairs: {low} and {high} must both be periodic or neither");
    }

    /// <summary>The same kind on every side.</summary>
    public static BoundaryConditions3D All(BoundaryKind kind) => new(kind, kind, kind, kind, kind, kind);

    /// <summary>Condition at x = 0.</summary>
    public BoundaryKind West { get; }
    /// <summary>Condition at x = Lx.</summary>
    public BoundaryKind East { get; }
    /// <summary>Condition at y = 0.</summary>
    public BoundaryKind South { get; }
    /// <summary>Condition at y = Ly.</summary>
    public BoundaryKind North { get; }
    /// <summary>Condition at z = 0.</summary>
    public BoundaryKind Bottom { get; }
    /// <summary>Condition at z = Lz.</summary>
    public BoundaryKind Top { get; }

    /// <summary>The condition on one side.</summary>
    public BoundaryKind this[BoundarySide3D side] => side switch
    {
        BoundarySide3D.West => West,
        BoundarySide3D.East => East,
        BoundarySide3D.South => South,
        BoundarySide3D.North => North,
        BoundarySide3D.Bottom => Bottom,
        _ => Top,
    };

    /// <summary>True when the x axis is periodic.</summary>
    public bool PeriodicX => West == BoundaryKind.Periodic;
    /// <summary>True when the y axis is periodic.</summary>
    public bool PeriodicY => South == BoundaryKind.Periodic;
    /// <summary>True when the z axis is periodic.</summary>
    public bool PeriodicZ => Bottom == BoundaryKind.Periodic;

    /// <summary>True when no side fixes the solution, so -div(a grad u) alone has constants in its null space.</summary>
    public bool DeterminesNoLevel =>
        West != BoundaryKind.Dirichlet && East != BoundaryKind.Dirichlet && South != BoundaryKind.Dirichlet
        && North != BoundaryKind.Dirichlet && Bottom != BoundaryKind.Dirichlet && Top != BoundaryKind.Dirichlet;

    /// <summary>
    /// Parses "dirichlet", "neumann", "periodic" (one kind for all sides) or six kinds
    /// "west,east,south,north,bottom,top"; the first letter of each kind suffices.
    /// </summary>
    /// <exception cref="FormatException">The text names no valid combination.</exception>
    public static BoundaryConditions3D Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 1 && parts.Length != 6)
            throw new FormatException($"boundary conditions '{text}': give one kind or six (west,east,south,north,bottom,top)");
        var kinds = parts.Select(BoundaryKinds.Parse).ToArray();
        try
        {
            return kinds.Length == 1 ? All(kinds[0]) : new BoundaryConditions3D(kinds[0], kinds[1], kinds[2], kinds[3], kinds[4], kinds[5]);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"boundary conditions '{text}': {e.Message}");
        }
    }
}
