using PdeOps.Physics.Problems;

namespace PdeOps.Solvers.Elliptic3D;

/// <summary>A discretised 3D elliptic problem: the operator, its right-hand side, and the problem it came from.</summary>
public sealed record DiscreteEllipticSystem3D(StencilOperator3D Operator, double[] RightHandSide, EllipticProblem3D Problem);
