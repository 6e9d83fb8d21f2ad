namespace PdeOps.Distributed;

/// <summary>MPI is needed but cannot be used: no library, an unsupported implementation, or a failed call.</summary>
public sealed class MpiException(string message) : Exception(message);
