namespace PdeOps.Solvers.Krylov;

/// <summary>A square linear operator on vectors of <see cref="Size"/> doubles.</summary>
public interface ILinearOperator
{
    /// <summary>Length of the vectors it acts on.</summary>
    int Size { get; }

    /// <summary>y = A x; x and y are distinct arrays of length <see cref="Size"/>.</summary>
    void Apply(double[] x, double[] y);
}

/// <summary>
/// An approximate inverse z ≈ A^-1 r used to precondition a Krylov method (PETSc's PC, Math.NET's
/// IPreconditioner). Implementations must be linear in r for CG and GMRES to behave.
/// </summary>
public interface IPreconditioner
{
    /// <summary>z = M^-1 r; r and z are distinct arrays.</summary>
    void Apply(double[] r, double[] z);
}

/// <summary>The identity preconditioner.</summary>
public sealed class IdentityPreconditioner : IPreconditioner
{
    /// <summary>The shared instance.</summary>
    public static IdentityPreconditioner Instance { get; } = new();

    /// <inheritdoc />
    public void Apply(double[] r, double[] z) => Array.Copy(r, z, r.Length);
}
