using static TorchSharp.torch;

namespace PdeOps.Operators.Models;

/// <summary>
/// Base of the neural operator models: a TorchSharp module from an input field (batch, in, ...)
/// to an output field (batch, out, ...) on the same grid, which knows its registry name and the
/// options it was built from, so a checkpoint can store <see cref="OptionsJson"/> and rebuild the
/// model through <see cref="OperatorModelRegistry"/>.
/// </summary>
public abstract class NeuralOperatorModel : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module.</summary>
    /// <param name="name">Module name.</param>
    protected NeuralOperatorModel(string name) : base(name)
    {
        // Where TorchSharp's imports are resolved by someone else, this is where oneDNN goes off.
        Runtime.OneDnnGuard.ApplyIfLoaded();
    }

    /// <summary>The name under which <see cref="OperatorModelRegistry"/> builds this kind of model.</summary>
    public abstract string ModelName { get; }

    /// <summary>The options the model was built from.</summary>
    public abstract NeuralOperatorOptions Options { get; }

    /// <summary>The options as JSON, enough to rebuild an untrained model of the same architecture.</summary>
    public string OptionsJson() => Options.ToJson();

    /// <summary>
    /// Why this model's results on <paramref name="grid"/> (points per spatial axis) may differ from
    /// those on its training grid by more than the discretisation changes, or null when nothing is known.
    /// </summary>
    public virtual string? GridCaveat(IReadOnlyList<long> grid) => null;

    /// <summary>Number of real trainable numbers (a complex weight stored as (..., 2) counts twice).</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());

    /// <summary>The name of the first parameter that holds a NaN or infinite value, or null when all are finite.</summary>
    public string? FirstNonFiniteParameter()
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            using var finite = parameter.isfinite().all();
            if (!finite.item<bool>()) return name;
        }
        return null;
    }
}
