namespace PdeOps.Distributed;

/// <summary>
/// Raised on every other rank when one rank of a job failed: the ranks stop together instead of
/// waiting for it in the next collective. The message names the rank and its cause.
/// </summary>
public sealed class RankFailedException : Exception
{
    /// <summary>Creates the exception for the failure of rank <paramref name="rank"/> of <paramref name="size"/>.</summary>
    public RankFailedException(int rank, int size, string cause)
        : base($"rank {rank} of {size} failed: {cause}")
    {
        FailedRank = rank;
        Cause = cause;
    }

    /// <summary>The rank that failed (the lowest, when several did).</summary>
    public int FailedRank { get; }

    /// <summary>The failed rank's own one-line account.</summary>
    public string Cause { get; }
}
