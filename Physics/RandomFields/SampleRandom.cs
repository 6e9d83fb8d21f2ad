namespace PdeOps.Physics.RandomFields;

/// <summary>
/// The random stream of one sample: xoshiro256** (Blackman and Vigna, 2018) seeded through
/// SplitMix64 from (seed, sample index). Implemented here rather than taken from
/// <see cref="System.Random"/> so that sample i stays the same across .NET versions, processes
/// and machines, which resumable and sharded generation relies on.
/// </summary>
public sealed class SampleRandom
{
    ulong _s0, _s1, _s2, _s3;
    double? _spareNormal;

    /// <summary>The stream of sample <paramref name="index"/> of the run seeded with <paramref name="seed"/>; <paramref name="stream"/> separates independent streams of one sample.</summary>
    public SampleRandom(long seed, long index, int stream = 0)
    {
        ulong state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)index * 0xD1B54A32D192ED03UL ^ (ulong)stream * 0x8CB92BA72F3D8DD7UL);
        _s0 = SplitMix(ref state); _s1 = SplitMix(ref state); _s2 = SplitMix(ref state); _s3 = SplitMix(ref state);
    }

    static ulong SplitMix(ref ulong state)
    {
        ulong z = unchecked(state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = unchecked(RotateLeft(_s1 * 5, 7) * 9);
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal variate (Box-Muller, both values of each pair used).</summary>
    public double NextNormal()
    {
        if (_spareNormal is { } spare) { _spareNormal = null; return spare; }
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        double radius = Math.Sqrt(-2 * Math.Log(u1)), angle = 2 * Math.PI * u2;
        _spareNormal = radius * Math.Sin(angle);
        return radius * Math.Cos(angle);
    }
}
