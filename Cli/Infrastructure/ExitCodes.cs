namespace PdeOps.Cli.Infrastructure;

/// <summary>Process exit codes of <c>pdeops</c>.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>A runtime failure: bad data, a solver that did not converge, an I/O error.</summary>
    public const int Failure = 1;
    /// <summary>A bad command line.</summary>
    public const int Usage = 2;
}
