using System.Text.Json;
using System.Text.Json.Serialization;

namespace PdeOps.Operators.Training;

/// <summary>Optimizer of a training run.</summary>
public enum OptimizerKind
{
    /// <summary>Adam with L2 weight decay added to the gradient (Kingma and Ba 2015), as in the FNO scripts.</summary>
    Adam,
    /// <summary>AdamW with decoupled weight decay (Loshchilov and Hutter 2019).</summary>
    [JsonStringEnumMemberName("adamw")]
    AdamW,
}

/// <summary>Learning-rate schedule of a training run.</summary>
public enum ScheduleKind
{
    /// <summary>Constant learning rate.</summary>
    Constant,
    /// <summary>Multiply by <see cref="TrainingOptions.StepGamma"/> every <see cref="TrainingOptions.StepEpochs"/> epochs (the FNO scripts: 0.5 every 100).</summary>
    Step,
    /// <summary>Cosine decay to zero over the run (Loshchilov and Hutter 2017, without restarts).</summary>
    Cosine,
    /// <summary>One-cycle: linear warm-up over the first 30% of steps to the peak rate, then cosine decay (Smith and Topin 2019).</summary>
    [JsonStringEnumMemberName("onecycle")]
    OneCycle,
}

/// <summary>Training loss.</summary>
public enum LossKind
{
    /// <summary>Relative L2 per sample, averaged over the batch.</summary>
    [JsonStringEnumMemberName("l2")]
    RelativeL2,
    /// <summary>Relative H1 per sample.</summary>
    [JsonStringEnumMemberName("h1")]
    RelativeH1,
    /// <summary>Mean squared error.</summary>
    Mse,
}

/// <summary>How input and output fields are normalized (fitted on the training split).</summary>
public enum NormalizationKind
{
    /// <summary>Mean and standard deviation over all samples and points: works at every resolution.</summary>
    [JsonStringEnumMemberName("global")]
    GaussianGlobal,
    /// <summary>Mean and standard deviation per grid point (neuraloperator's UnitGaussianNormalizer): the training resolution only.</summary>
    [JsonStringEnumMemberName("pointwise")]
    GaussianPointwise,
    /// <summary>Global minimum and maximum to [0, 1].</summary>
    [JsonStringEnumMemberName("minmax")]
    MinMax,
    /// <summary>No normalization.</summary>
    None,
}

/// <summary>The optimization settings of a training run (the architecture is in the model's options).</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 100;
    /// <summary>Samples per optimizer step.</summary>
    public int BatchSize { get; init; } = 20;
    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>Optimizer.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    /// <summary>Learning-rate schedule.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Cosine;
    /// <summary>Epochs between decays of the step schedule.</summary>
    public int StepEpochs { get; init; } = 100;
    /// <summary>Decay factor of the step schedule.</summary>
    public double StepGamma { get; init; } = 0.5;
    /// <summary>Training loss.</summary>
    public LossKind Loss { get; init; } = LossKind.RelativeL2;
    /// <summary>Normalization of inputs and outputs.</summary>
    public NormalizationKind Normalization { get; init; } = NormalizationKind.GaussianGlobal;
    /// <summary>
    /// Train a point operator on this share of each sample's grid points, a fresh random subset
    /// every step (<see cref="PointSubsetObjective"/>); null trains on whole grids.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? PointsFraction { get; init; }

    /// <summary>
    /// Points per axis of the grids the batches cycle through, each reached by subsampling the
    /// training data (for example 43 and 85 from data on 85 points); null trains on the data's
    /// grid alone. Grid-agnostic models then learn one operator on several discretizations; their
    /// reference grid is the coarsest (<see cref="TrainingResolutions"/>). Test errors are measured on the data's grid.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[]? Resolutions { get; init; }

    /// <summary>
    /// Symmetries applied to every training sample (<see cref="DihedralAugmentation"/>): only for
    /// operators that commute with them. Test samples are never mapped.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public AugmentationKind Augmentation { get; init; }

    /// <summary>Seed of the weights and of the batch order (epoch e shuffles with a generator seeded by (seed, e)).</summary>
    public long Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public TrainingOptions Validated()
    {
        if (Epochs < 1) throw new ArgumentException($"epochs must be at least 1 (got {Epochs})");
        if (BatchSize < 1) throw new ArgumentException($"batch must be at least 1 (got {BatchSize})");
        if (!(LearningRate > 0)) throw new ArgumentException($"the learning rate must be positive (got {LearningRate})");
        if (!(WeightDecay >= 0)) throw new ArgumentException($"weight decay must be non-negative (got {WeightDecay})");
        if (PointsFraction is double f && !(f > 0 && f <= 1)) throw new ArgumentException($"the points fraction must lie in (0, 1] (got {f})");
        if (Resolutions is { } r && (r.Length == 0 || r.Any(n => n < 2) || r.Distinct().Count() != r.Length))
            throw new ArgumentException($"the training resolutions must be distinct sizes of at least 2 points (got {string.Join(",", r)})");
        if (StepEpochs < 1 || !(StepGamma > 0)) throw new ArgumentException("the step schedule needs step epochs >= 1 and gamma > 0");
        return this;
    }

    /// <summary>JSON settings of the options: snake_case keys, enum values as the command line spells them.</summary>
    public static JsonSerializerOptions JsonOptions => Serialization.OperatorJson.Options;
}
