using static TorchSharp.torch;

namespace PdeOps.Operators.Training;

/// <summary>Symmetries a training run applies to its samples (<see cref="TrainingOptions.Augmentation"/>).</summary>
public enum AugmentationKind
{
    /// <summary>Samples as stored.</summary>
    None,
    /// <summary>A random symmetry of the square per sample and step (<see cref="DihedralAugmentation"/>).</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("dihedral")]
    Dihedral,
}

/// <summary>
/// Augments 2-D training batches by the symmetry group of the square (the dihedral group D4 of
/// order 8: the identity, three rotations, four reflections). Each sample of a step gets one group
/// element g, and its input and target are both mapped by it: a grid field v becomes v o g^-1.
/// <para>
/// This is exact, not approximate, when the operator commutes with the group: G(a o g^-1) =
/// G(a) o g^-1. It does for -div(a grad u) = f on the square with a forcing and boundary data
/// invariant under g (the Darcy benchmark: f = 1, u = 0 on the boundary), for the Poisson and
/// heat equations with such data, and for their finite-volume discretizations with symmetric face
/// rules; the training set then holds eight exact samples per stored one. It is wrong for a
/// problem that singles out a direction (a fixed anisotropic forcing, an advection velocity, vector
/// fields whose components would have to rotate too): every channel is mapped as a scalar field.
/// </para>
/// The element of each sample depends on (seed, step) only, so a resumed run draws what an
/// uninterrupted one would; they are drawn for the step's whole batch, so every rank count of a
/// data-parallel run trains alike.
/// </summary>
public static class DihedralAugmentation
{
    /// <summary>Elements of the group.</summary>
    public const int Order = 8;

    /// <summary>Odd multiplier separating the streams of (seed, step) pairs (distinct from the point subsets').</summary>
    const long StepSeedStride = 1_000_037;

    /// <summary>
    /// Checks that the augmentation <paramref name="options"/> ask for can apply to data of
    /// <paramref name="spatialDims"/> dimensions on <paramref name="grid"/>; nothing to check without one.
    /// </summary>
    /// <exception cref="ArgumentException">The data is not 2D on a square grid, or normalized per point (statistics the maps would scramble).</exception>
    public static void CheckApplies(TrainingOptions options, int spatialDims, IReadOnlyList<int> grid)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(grid);
        if (options.Augmentation == AugmentationKind.None) return;
        if (options.Normalization == NormalizationKind.GaussianPointwise)
            throw new ArgumentException("dihedral augmentation needs a normalization that is the same at every point (global, minmax or none), not pointwise");
        if (spatialDims != 2 || grid.Count != 2 || grid[0] != grid[1])
            throw new ArgumentException($"dihedral augmentation needs 2D data on a square grid, got {string.Join("x", grid)}");
    }

    /// <summary>
    /// Maps a (..., y, x) field on a square grid by element <paramref name="element"/> in [0, 8):
    /// bit 2 transposes the axes, then bit 0 reverses x and bit 1 reverses y. The eight products
    /// are the eight distinct elements of D4; 0 is the identity.
    /// </summary>
    /// <exception cref="ArgumentException">The element is out of range, or the last two axes differ in length.</exception>
    public static Tensor Apply(Tensor field, int element)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (element is < 0 or >= Order) throw new ArgumentOutOfRangeException(nameof(element), element, $"a dihedral element lies in [0, {Order})");
        if (field.dim() < 2 || field.shape[^1] != field.shape[^2])
            throw new ArgumentException($"the symmetries of the square need a square grid, got {string.Join("x", field.shape)}");
        var mapped = (element & 4) != 0 ? field.transpose(-1, -2) : field;
        var axes = new List<long>(2);
        if ((element & 1) != 0) axes.Add(-1);
        if ((element & 2) != 0) axes.Add(-2);
        return axes.Count > 0 ? mapped.flip([.. axes]) : mapped.alias();
    }

    /// <summary>
    /// The element that undoes <paramref name="element"/>: Apply(Apply(v, e), Inverse(e)) = v. A
    /// map without the transpose is its own inverse; with it, the flips act on the other axes.
    /// </summary>
    public static int Inverse(int element)
    {
        if (element is < 0 or >= Order) throw new ArgumentOutOfRangeException(nameof(element), element, $"a dihedral element lies in [0, {Order})");
        return (element & 4) == 0 ? element : 4 | ((element & 1) << 1) | ((element & 2) >> 1);
    }

    /// <summary>
    /// The group elements of the samples [<paramref name="batchOffset"/>, + <paramref name="count"/>)
    /// of step <paramref name="step"/>'s batch of <paramref name="batchSize"/> samples.
    /// </summary>
    public static int[] Elements(long seed, long step, long batchOffset, long count, long batchSize)
    {
        if (batchOffset < 0 || count < 0 || batchOffset + count > batchSize)
            throw new ArgumentOutOfRangeException(nameof(count), $"rows [{batchOffset}, {batchOffset + count}) lie outside a batch of {batchSize}");
        using var generator = new Generator((ulong)(seed * StepSeedStride + step));
        using var all = randint(Order, [batchSize], generator: generator, dtype: ScalarType.Int64);
        return all.data<long>().Skip((int)batchOffset).Take((int)count).Select(e => (int)e).ToArray();
    }

    /// <summary>
    /// The batch (inputs and targets of shape (batch, channels, y, x)) with sample i of both mapped
    /// by <paramref name="elements"/>[i].
    /// </summary>
    public static (Tensor Inputs, Tensor Targets) Apply(Tensor inputs, Tensor targets, IReadOnlyList<int> elements)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(elements);
        if (inputs.shape[0] != elements.Count || targets.shape[0] != elements.Count)
            throw new ArgumentException($"{elements.Count} elements for batches of {inputs.shape[0]} inputs and {targets.shape[0]} targets");
        Tensor Map(Tensor batch) => cat(elements.Select((g, i) => Apply(batch.narrow(0, i, 1), g)).ToArray(), 0).contiguous();
        return (Map(inputs), Map(targets));
    }
}
