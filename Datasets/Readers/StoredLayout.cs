namespace PdeOps.Datasets.Readers;

/// <summary>How the samples of a stored array are laid out in its HDF5 dataset.</summary>
internal enum StoredLayout
{
    /// <summary>(N, ...) in C order; the presented array is the stored one.</summary>
    SamplesFirst,
    /// <summary>(N, K, ...) in C order; the presented array is the slice at index 0 of axis 1, (N, ...): the first time step, or a singleton axis squeezed.</summary>
    FirstOfAxis1,
    /// <summary>MATLAB column-major: stored (..., N); the presented array reverses all axes to (N, ...).</summary>
    ReversedAxes,
}
