namespace PdeOps.Datasets.Tools;

/// <summary>
/// Count, minimum, maximum, mean and population variance of a stream of values fed block by
/// block: each block is summarized with a two-pass mean and sum of squared deviations, and
/// blocks are merged with the pairwise update of Chan, Golub and LeVeque (1979). Non-finite
/// values are counted apart and left out of the statistics.
/// </summary>
internal sealed class RunningStatistics
{
    double _mean, _m2;

    public long Count { get; private set; }
    public long NonFinite { get; private set; }
    public double Min { get; private set; } = double.PositiveInfinity;
    public double Max { get; private set; } = double.NegativeInfinity;
    public double Mean => Count > 0 ? _mean : double.NaN;
    public double Std => Count > 0 ? Math.Sqrt(_m2 / Count) : double.NaN;

    public void Add(Array values)
    {
        if (values is float[] f) Add(Array.ConvertAll(f, v => (double)v));
        else Add((double[])values);
    }

    public void Add(ReadOnlySpan<double> values)
    {
        long n = 0;
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) { NonFinite++; continue; }
            n++; sum += v;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (n == 0) return;
        double mean = sum / n, m2 = 0;
        foreach (double v in values)
            if (double.IsFinite(v)) { double d = v - mean; m2 += d * d; }
        long total = Count + n;
        double delta = mean - _mean;
        _mean += delta * n / total;
        _m2 += m2 + delta * delta * ((double)Count * n / total);
        Count = total;
        Min = Math.Min(Min, min);
        Max = Math.Max(Max, max);
    }
}
