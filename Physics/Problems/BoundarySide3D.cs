namespace PdeOps.Physics.Problems;

/// <summary>A side of a box [0, Lx] x [0, Ly] x [0, Lz].</summary>
public enum BoundarySide3D
{
    /// <summary>x = 0.</summary>
    West,
    /// <summary>x = Lx.</summary>
    East,
    /// <summary>y = 0.</summary>
    South,
    /// <summary>y = Ly.</summary>
    North,
    /// <summary>z = 0.</summary>
    Bottom,
    /// <summary>z = Lz.</summary>
    Top,
}
