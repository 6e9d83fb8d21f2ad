namespace PdeOps.Distributed;

/// <summary>The ranks of a job were started with different settings or inputs; raised on every rank alike.</summary>
public sealed class RankMismatchException(string message) : Exception(message);
