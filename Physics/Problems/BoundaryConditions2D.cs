namespace PdeOps.Physics.Problems;

/// <summary>
/// Boundary conditions on the four sides of a rectangle (west x = 0, east x = Lx, south y = 0,
/// north y = Ly). Periodic sides come in opposite pairs.
/// </summary>
public sealed record BoundaryConditions2D
{
    /// <summary>Creates the conditions, checking that periodic sides are paired.</summary>
    /// <exception cref="ArgumentException">Only one side of an axis is periodic.</exception>
    public BoundaryConditions2D(BoundaryKind west, BoundaryKind east, BoundaryKind south, BoundaryKind north)
    {
        if ((west == BoundaryKind.Periodic) != (east == BoundaryKind.Periodic))
            throw new ArgumentException("periodic boundaries come in pairs: west and east must both be periodic or neither");
        if ((south == BoundaryKind.Periodic) != (north == BoundaryKind.Periodic))
            throw new ArgumentException("periodic boundaries come in pairs: south and north must both be periodic or neither");
        West = west; East = east; South = south; North = north;
    }

    /// <summary>The same kind on every side.</summary>
    public static BoundaryConditions2D All(BoundaryKind kind) => new(kind, kind, kind, kind);

    /// <summary>Condition at x = 0.</summary>
    public BoundaryKind West { get; }
    /// <summary>Condition at x = Lx.</summary>
    public BoundaryKind East { get; }
    /// <summary>Condition at y = 0.</summary>
    public BoundaryKind South { get; }
    /// <summary>Condition at y = Ly.</summary>
    public BoundaryKind North { get; }

    /// <summary>The condition on one side.</summary>
    public BoundaryKind this[BoundarySide side] => side switch
    {
        BoundarySide.West => West,
        BoundarySide.East => East,
        BoundarySide.South => South,
        _ => North,
    };

    /// <summary>True when the x axis is periodic.</summary>
    public bool PeriodicX => West == BoundaryKind.Periodic;
    /// <summary>True when the y axis is periodic.</summary>
    public bool PeriodicY => South == BoundaryKind.Periodic;

    /// <summary>True when no side fixes the solution, so -div(a grad u) alone has constants in its null space.</summary>
    public bool DeterminesNoLevel =>
        West != BoundaryKind.Dirichlet && East != BoundaryKind.Dirichlet && South != BoundaryKind.Dirichlet && North != BoundaryKind.Dirichlet;

    /// <summary>
    /// Parses "dirichlet", "neumann", "periodic" (one kind for all sides) or four kinds
    /// "west,east,south,north"; the first letter of each kind suffices.
    /// </summary>
    /// <exception cref="FormatException">The text names no valid combination.</exception>
    public static BoundaryConditions2D Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 1 && parts.Length != 4)
            throw new FormatException($"boundary conditions '{text}': give one kind or four (west,east,south,north)");
        var kinds = parts.Select(BoundaryKinds.Parse).ToArray();
        try
        {
            return kinds.Length == 1 ? All(kinds[0]) : new BoundaryConditions2D(kinds[0], kinds[1], kinds[2], kinds[3]);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"boundary conditions '{text}': {e.Message}");
        }
    }
}
