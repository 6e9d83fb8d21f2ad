using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// Creates trainable parameters that belong to their module, not to whatever dispose scope is
/// active while the module is built, so a model constructed inside a scope outlives it.
/// </summary>
internal static class ParameterFactory
{
    /// <summary>A trainable parameter holding <paramref name="data"/>, detached from any dispose scope.</summary>
    public static Parameter Create(Tensor data)
    {
        var parameter = new Parameter(data, requires_grad: true);
        parameter.DetachFromDisposeScope();
        return parameter;
    }
}
