namespace PdeOps.Datasets.Readers;

/// <summary>The on-disk layouts <see cref="DatasetReader"/> understands.</summary>
public enum DatasetFormat
{
    /// <summary>
    /// A PdeOps dataset file (root attribute <c>format = "pdeops-dataset"</c>): per-sample arrays
    /// (N, ...) named by the <c>inputs</c> and <c>outputs</c> attributes, 1D coordinate arrays.
    /// </summary>
    PdeOps,

    /// <summary>
    /// A PDEBench HDF5 file (Takamoto et al., "PDEBench: An Extensive Benchmark for Scientific
    /// Machine Learning", NeurIPS 2022): a <c>tensor</c> array, an optional <c>nu</c> coefficient
    /// array and <c>x-coordinate</c>/<c>y-coordinate</c>/<c>t-coordinate</c> axes.
    /// </summary>
    PdeBench,

    /// <summary>
    /// A MATLAB v7.3 .mat file as distributed with the Fourier Neural Operator (Li et al., ICLR 2021):
    /// HDF5 behind a 512-byte user block, arrays stored column-major (axes reversed in HDF5).
    /// </summary>
    FnoMatlab,
}
