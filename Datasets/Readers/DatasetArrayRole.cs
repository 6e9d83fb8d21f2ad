namespace PdeOps.Datasets.Readers;

/// <summary>What a stored array is to an operator dataset.</summary>
public enum DatasetArrayRole
{
    /// <summary>An input field of the operator, e.g. the Darcy coefficient.</summary>
    Input,
    /// <summary>An output field, e.g. the solution.</summary>
    Output,
    /// <summary>A 1D coordinate axis ("x", "y", "t").</summary>
    Coordinate,
}
