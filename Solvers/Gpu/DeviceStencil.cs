namespace PdeOps.Solvers.Gpu;

/// <summary>
/// The shape and five-point stencil of one device level, passed by value to every kernel.
/// Coefficients are computed in double exactly as <see cref="Multigrid.GridLevel"/> does and then
/// rounded to <typeparamref name="T"/>.
/// </summary>
internal readonly record struct DeviceStencil<T>(int Nx, int Ny, int Stride, T Ax, T Ay, T Diagonal, T InverseDiagonal, T JacobiScale)
    where T : unmanaged;
