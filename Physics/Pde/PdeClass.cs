namespace PdeOps.Physics.Pde;

/// <summary>The type of a second-order linear operator, from the discriminant c5² − 4 c3 c4 of its principal part.</summary>
public enum PdeClass
{
    /// <summary>Negative discriminant (Poisson, Helmholtz): a boundary-value problem on the whole boundary.</summary>
    Elliptic,
    /// <summary>Zero discriminant (heat equation with y as time): initial data on y = −1.</summary>
    Parabolic,
    /// <summary>Positive discriminant (wave equation with y as time): initial data on y = −1.</summary>
    Hyperbolic,
}
