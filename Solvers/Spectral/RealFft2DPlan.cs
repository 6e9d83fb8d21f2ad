using System.Numerics;

namespace PdeOps.Solvers.Spectral;

/// <summary>
/// Two-dimensional real transforms (numpy's rfft2/irfft2) of a row-major real field of shape [ny, nx]
/// (x fastest, flat index j * nx + i). The half spectrum has shape [ny, nx/2 + 1], also row-major with kx
/// fastest: entry (ky, kx) sits at ky_index * (nx/2 + 1) + kx, where ky_index = ky for ky &gt;= 0 and
/// ny + ky for ky &lt; 0. Rows are transformed with <see cref="RealFftPlan"/>, then columns with
/// <see cref="ComplexFftPlan"/> (the row-column method).
/// </summary>
/// <remarks>
/// Forward is unnormalised, inverse divides by nx * ny; the inverse leaves its input untouched. Work
/// buffers are allocated once per thread block in the constructor; transforms allocate no arrays.
/// Not thread-safe itself (it threads internally over <c>threads</c> blocks): one plan per caller.
/// </remarks>
public sealed class RealFft2DPlan
{
    const int ColumnsPerGather = 4; // adjacent columns share cache lines, so gather a few at a time

    readonly Worker[] _workers;
    readonly Complex[] _spectrumWork;

    /// <summary>Builds the plan for fields of shape [<paramref name="ny"/>, <paramref name="nx"/>].</summary>
    public RealFft2DPlan(int ny, int nx, int threads = 1)
    {
        if (ny < 1 || nx < 1) throw new ArgumentOutOfRangeException(nameof(ny), $"field shape [{ny}, {nx}] must be positive");
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be at least 1");
        Ny = ny;
        Nx = nx;
        SpectrumNx = nx / 2 + 1;
        _workers = new Worker[Math.Min(threads, ny)];
        for (int b = 0; b < _workers.Length; b++) _workers[b] = new Worker(ny, nx);
        _spectrumWork = new Complex[ny * SpectrumNx];
    }

    /// <summary>Rows of the real field.</summary>
    public int Ny { get; }
    /// <summary>Columns of the real field.</summary>
    public int Nx { get; }
    /// <summary>Columns of the half spectrum, nx/2 + 1.</summary>
    public int SpectrumNx { get; }
    /// <summary>Entries of the half spectrum, ny * (nx/2 + 1).</summary>
    public int SpectrumSize => Ny * SpectrumNx;

    /// <summary>Unnormalised forward transform of <paramref name="field"/> (length ny * nx) into <paramref name="spectrum"/>.</summary>
    public void Forward(double[] field, Complex[] spectrum)
    {
        Check(field, spectrum);
        RunBlocks(Ny, (w, lo, hi) =>
        {
            for (int j = lo; j < hi; j++) w.Rows.Forward(field.AsSpan(j * Nx, Nx), spectrum.AsSpan(j * SpectrumNx, SpectrumNx));
        });
        TransformColumns(spectrum, inverse: false);
    }

    /// <summary>Inverse transform (divides by nx * ny) of <paramref name="spectrum"/> into <paramref name="field"/>; the spectrum is not modified.</summary>
    public void Inverse(Complex[] spectrum, double[] field)
    {
        Check(field, spectrum);
        Array.Copy(spectrum, _spectrumWork, SpectrumSize);
        TransformColumns(_spectrumWork, inverse: true);
        RunBlocks(Ny, (w, lo, hi) =>
        {
            for (int j = lo; j < hi; j++) w.Rows.Inverse(_spectrumWork.AsSpan(j * SpectrumNx, SpectrumNx), field.AsSpan(j * Nx, Nx));
        });
    }

    void TransformColumns(Complex[] data, bool inverse)
    {
        int groups = (SpectrumNx + ColumnsPerGather - 1) / ColumnsPerGather;
        RunBlocks(groups, (w, lo, hi) =>
        {
            for (int g = lo; g < hi; g++)
            {
                int c0 = g * ColumnsPerGather, width = Math.Min(ColumnsPerGather, SpectrumNx - c0);
                for (int j = 0; j < Ny; j++)
                    for (int c = 0; c < width; c++) w.Columns[c * Ny + j] = data[j * SpectrumNx + c0 + c];
                for (int c = 0; c < width; c++)
                {
                    var column = w.Columns.AsSpan(c * Ny, Ny);
                    if (inverse) w.ColumnPlan.Inverse(column); else w.ColumnPlan.Forward(column);
                }
                for (int j = 0; j < Ny; j++)
                    for (int c = 0; c < width; c++) data[j * SpectrumNx + c0 + c] = w.Columns[c * Ny + j];
            }
        });
    }

    void RunBlocks(int count, Action<Worker, int, int> body)
    {
        int blocks = Math.Min(_workers.Length, count);
        if (blocks <= 1)
        {
            body(_workers[0], 0, count);
            return;
        }
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = blocks }, b =>
            body(_workers[b], (int)((long)count * b / blocks), (int)((long)count * (b + 1) / blocks)));
    }

    void Check(double[] field, Complex[] spectrum)
    {
        if (field.Length < Ny * Nx) throw new ArgumentException($"field needs {Ny * Nx} values ([{Ny}, {Nx}] row-major), got {field.Length}");
        if (spectrum.Length < SpectrumSize) throw new ArgumentException($"half spectrum needs {SpectrumSize} values ([{Ny}, {SpectrumNx}]), got {spectrum.Length}");
    }

    /// <summary>The plans and buffers one thread block uses.</summary>
    sealed class Worker(int ny, int nx)
    {
        public RealFftPlan Rows { get; } = new(nx);
        public ComplexFftPlan ColumnPlan { get; } = new(ny);
        public Complex[] Columns { get; } = new Complex[ColumnsPerGather * ny];
    }
}
