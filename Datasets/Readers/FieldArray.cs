namespace PdeOps.Datasets.Readers;

/// <summary>
/// A stack of fields held in memory: <see cref="Values"/> is row-major with shape
/// <see cref="Shape"/>, whose first axis is the sample axis (N). <see cref="Axes"/> names every
/// axis: "n" for samples, "x", "y", "z" for space, "t" for time; by default the trailing axes are
/// spatial (…, "z", "y", "x"), so a 2D stack (N, H, W) is indexed [n, y, x].
/// </summary>
/// <param name="Name">Name of the field, e.g. "coefficient".</param>
/// <param name="Values">Row-major values, length the product of <paramref name="Shape"/>.</param>
/// <param name="Shape">Dimensions, sample axis first.</param>
public sealed record FieldArray(string Name, float[] Values, int[] Shape)
{
    /// <summary>Name of the sample axis in <see cref="Axes"/>.</summary>
    public const string SampleAxis = "n";
    /// <summary>Name of the time axis in <see cref="Axes"/>.</summary>
    public const string TimeAxis = "t";

    static readonly string[] SpatialAxisNames = ["x", "y", "z"];

    /// <summary>Row-major values, length the product of <see cref="Shape"/>.</summary>
    public float[] Values { get; init; } = CheckValues(Values, Shape);

    /// <summary>Names of the axes, one per entry of <see cref="Shape"/>; the first is "n".</summary>
    public IReadOnlyList<string> Axes
    {
        get => _axes ??= DefaultAxes(Shape.Length);
        init => _axes = CheckAxes(value, Shape.Length);
    }
    IReadOnlyList<string>? _axes;

    /// <summary>Number of samples (<c>Shape[0]</c>).</summary>
    public int Samples => Shape[0];

    /// <summary>Shape of one sample (<see cref="Shape"/> without the sample axis).</summary>
    public int[] SampleShape => Shape[1..];

    /// <summary>Values per sample.</summary>
    public int SampleSize => Product(Shape, 1);

    /// <summary>The values of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Sample(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Samples);
        return Values.AsSpan(index * SampleSize, SampleSize);
    }

    /// <summary>Samples <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1, copied.</summary>
    public FieldArray Slice(int first, int count)
    {
        CheckRange(first, count, Samples);
        var shape = (int[])Shape.Clone();
        shape[0] = count;
        return this with { Values = Values.AsSpan(first * SampleSize, count * SampleSize).ToArray(), Shape = shape };
    }

    /// <summary>Whether axis <paramref name="axis"/> is spatial ("x", "y" or "z").</summary>
    public bool IsSpatialAxis(int axis) => SpatialAxisNames.Contains(Axes[axis]);

    /// <summary>
    /// Keeps every <paramref name="stride"/>-th point, starting with the first, along each spatial
    /// axis (the NumPy slice <c>[::stride]</c>). On a vertex grid whose point count minus one is a
    /// multiple of the stride both ends are kept: 421 points with stride 2 give 211.
    /// </summary>
    public FieldArray Subsample(int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        var axes = Enumerable.Range(1, Shape.Length - 1).Where(IsSpatialAxis).ToArray();
        if (stride == 1 || axes.Length == 0) return this;
        var newShape = (int[])Shape.Clone();
        foreach (int a in axes) newShape[a] = SubsampledLength(Shape[a], stride);
        var steps = new int[Shape.Length];
        for (int a = 0; a < Shape.Length; a++) steps[a] = axes.Contains(a) ? stride : 1;

        var result = new float[Product(newShape, 0)];
        var sourceStrides = Strides(Shape);
        var index = new int[Shape.Length];
        for (int k = 0; k < result.Length; k++)
        {
            long offset = 0;
            for (int a = 0; a < Shape.Length; a++) offset += (long)index[a] * steps[a] * sourceStrides[a];
            result[k] = Values[offset];
            for (int a = Shape.Length - 1; a >= 0; a--)
            {
                if (++index[a] < newShape[a]) break;
                index[a] = 0;
            }
        }
        return this with { Values = result, Shape = newShape };
    }

    /// <summary>Points left on an axis of <paramref name="length"/> points after <c>[::stride]</c>.</summary>
    public static int SubsampledLength(int length, int stride) => (length + stride - 1) / stride;

    /// <summary>The axis names used when none are given: "n" then spatial names ending with "x".</summary>
    public static IReadOnlyList<string> DefaultAxes(int rank)
    {
        var axes = new string[rank];
        axes[0] = SampleAxis;
        for (int a = 1; a < rank; a++)
        {
            int fromEnd = rank - 1 - a;
            axes[a] = fromEnd < SpatialAxisNames.Length ? SpatialAxisNames[fromEnd] : $"d{a}";
        }
        return axes;
    }

    internal static void CheckRange(int first, int count, int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (first + (long)count > samples)
            throw new ArgumentOutOfRangeException(nameof(count), $"samples {first}..{first + count - 1} are outside the {samples} held");
    }

    static long[] Strides(int[] shape)
    {
        var strides = new long[shape.Length];
        long s = 1;
        for (int a = shape.Length - 1; a >= 0; a--) { strides[a] = s; s *= shape[a]; }
        return strides;
    }

    static int Product(int[] shape, int from)
    {
        long p = 1;
        for (int a = from; a < shape.Length; a++) p *= shape[a];
        return checked((int)p);
    }

    static float[] CheckValues(float[] values, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0) throw new ArgumentException("a field array needs at least the sample axis", nameof(shape));
        if (shape.Any(d => d < 0)) throw new ArgumentException($"negative dimension in ({string.Join(", ", shape)})", nameof(shape));
        long expected = shape.Aggregate(1L, (p, d) => p * d);
        if (values.Length != expected)
            throw new ArgumentException($"{values.Length} values do not fill shape ({string.Join(", ", shape)})", nameof(values));
        return values;
    }

    static IReadOnlyList<string> CheckAxes(IReadOnlyList<string> axes, int rank)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Count != rank) throw new ArgumentException($"{axes.Count} axis names for an array of rank {rank}", nameof(axes));
        if (axes[0] != SampleAxis) throw new ArgumentException($"the first axis must be the sample axis \"{SampleAxis}\"", nameof(axes));
        return axes.ToArray();
    }
}
