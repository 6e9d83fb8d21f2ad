using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Pinn;

/// <summary>The output layer among a PINN's named parameters: u is linear in it, so scaling it scales u.</summary>
internal static class PinnOutputLayer
{
    /// <summary>Whether the parameter <paramref name="name"/> (of <see cref="PinnOptions.ParameterShapes"/>) belongs to the output layer.</summary>
    public static bool Holds(string name) => name.StartsWith("output.", StringComparison.Ordinal);

    /// <summary>Multiplies the output layer's weights and bias among <paramref name="parameters"/> by <paramref name="factor"/>, in place.</summary>
    public static void Scale<T>(IEnumerable<KeyValuePair<string, T>> parameters, double factor) where T : Tensor
    {
        if (factor == 1) return;
        using var _ = no_grad();
        foreach (var (name, p) in parameters)
            if (Holds(name)) p.ScaleInPlace(factor);
    }
}
