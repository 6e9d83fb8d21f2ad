namespace PdeOps.Operators.Layers.Attention;

/// <summary>The attention kernels by name; an unknown name fails with the list of known ones.</summary>
public static class AttentionKernels
{
    static readonly Dictionary<string, Func<IAttentionKernel>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        [SoftmaxKernel.KernelName] = () => new SoftmaxKernel(),
        [LinearKernel.KernelName] = () => new LinearKernel(),
        [SigmoidKernel.KernelName] = () => new SigmoidKernel(),
    };

    /// <summary>Names of the known kernels.</summary>
    public static IReadOnlyList<string> Names => Factories.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>A new kernel of the given name with its default settings.</summary>
    /// <exception cref="ArgumentException">No kernel has that name.</exception>
    public static IAttentionKernel Create(string name) =>
        Factories.TryGetValue(name ?? "", out var create) ? create()
            : throw new ArgumentException($"unknown attention kernel '{name}'; known kernels: {string.Join(", ", Names)}", nameof(name));
}
