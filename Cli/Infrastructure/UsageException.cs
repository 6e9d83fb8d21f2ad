namespace PdeOps.Cli.Infrastructure;

/// <summary>A bad option or value found after parsing; the CLI prints it on one line and exits 2.</summary>
public sealed class UsageException(string message) : Exception(message);
