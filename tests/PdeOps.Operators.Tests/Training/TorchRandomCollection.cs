namespace PdeOps.Operators.Tests.Training;

/// <summary>
/// Tests that compare two training runs of one seed: libtorch's global random generator is shared
/// by the whole process, so these run while no other test draws from it.
/// </summary>
[CollectionDefinition("torch random state", DisableParallelization = true)]
public sealed class TorchRandomCollection;
