namespace PdeOps.Operators.Models;

/// <summary>A registered model type: its name, options type and factory.</summary>
/// <param name="Name">Registry name.</param>
/// <param name="OptionsType">The <see cref="NeuralOperatorOptions"/> subtype the factory takes.</param>
/// <param name="Factory">Builds an untrained model from validated options.</param>
public sealed record OperatorModelEntry(string Name, Type OptionsType, Func<NeuralOperatorOptions, NeuralOperatorModel> Factory);
