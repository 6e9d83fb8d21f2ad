using PdeOps.Datasets.Generation.Generators;

namespace PdeOps.Datasets.Generation;

/// <summary>The dataset families PdeOps generates, by name.</summary>
public static class GeneratorRegistry
{
    static readonly IDatasetGenerator[] All =
    [
        new DarcyGenerator(),
        new PoissonGenerator(),
        new HelmholtzGenerator(),
        new HeatGenerator(),
        new BurgersGenerator(),
        new NavierStokesGenerator(),
        new MmsGenerator(),
    ];

    /// <summary>Every family.</summary>
    public static IReadOnlyList<IDatasetGenerator> Generators => All;

    /// <summary>The family called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No family has that name; the message lists the known ones.</exception>
    public static IDatasetGenerator Get(string name) =>
        Find(name)
        ?? throw new ArgumentException($"unknown dataset family '{name}' (known: {string.Join(", ", All.Select(g => g.Family))})");

    /// <summary>The family called <paramref name="name"/>, or null when there is none.</summary>
    public static IDatasetGenerator? Find(string name) =>
        All.FirstOrDefault(g => string.Equals(g.Family, name, StringComparison.OrdinalIgnoreCase));
}
