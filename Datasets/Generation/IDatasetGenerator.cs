using PdeOps.Datasets.Storage;

namespace PdeOps.Datasets.Generation;

/// <summary>A family of benchmark datasets (Darcy, Burgers, ...): its parameters and how to compute a sample.</summary>
public interface IDatasetGenerator
{
    /// <summary>The family's name on the command line, e.g. "darcy".</summary>
    string Family { get; }
    /// <summary>One line on the problem and the recipe it follows.</summary>
    string Summary { get; }
    /// <summary>Where the family's grid points lie (the <c>grid_convention</c> attribute of its files).</summary>
    DatasetGridConvention GridConvention { get; }
    /// <summary>Parameters and their default values.</summary>
    IReadOnlyDictionary<string, double> DefaultParameters { get; }
    /// <summary>Validates <paramref name="request"/> and plans the run.</summary>
    /// <exception cref="ArgumentException">A resolution or parameter is out of range.</exception>
    GeneratorPlan Plan(GenerationRequest request);
}
