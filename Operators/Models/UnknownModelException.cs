namespace PdeOps.Operators.Models;

/// <summary>Thrown when a model name is not in the <see cref="OperatorModelRegistry"/>.</summary>
public sealed class UnknownModelException : KeyNotFoundException
{
    /// <summary>Creates the exception for <paramref name="name"/>, listing the names that are known.</summary>
    public UnknownModelException(string name, IEnumerable<string> known)
        : base($"unknown neural operator model '{name}'; known models: {string.Join(", ", known)}")
    {
        Name = name;
    }

    /// <summary>The name that was asked for.</summary>
    public string Name { get; }
}
