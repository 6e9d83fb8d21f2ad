namespace PdeOps.Operators.Layers;

/// <summary>Whether a transform length factors into the small primes FFT libraries handle fastest.</summary>
internal static class FftFriendly
{
    /// <summary>True when n has no prime factor above 7.</summary>
    public static bool IsSmooth(long n)
    {
        if (n < 1) return false;
        foreach (long p in new long[] { 2, 3, 5, 7 })
            while (n % p == 0) n /= p;
        return n == 1;
    }
}
