namespace PdeOps.Operators.Hypino;

/// <summary>How a <see cref="HypinoNetwork"/> is trained (<see cref="HypinoTrainer"/>).</summary>
public sealed record HypinoTrainingOptions
{
    /// <summary>Optimizer steps in all.</summary>
    public int Steps { get; init; } = 8000;
    /// <summary>Problems per step.</summary>
    public int BatchSize { get; init; } = 8;
    /// <summary>Peak AdamW learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>AdamW weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>Steps of linear warm-up from zero to the peak rate; a cosine decay to zero follows.</summary>
    public int WarmupSteps { get; init; } = 200;
    /// <summary>Interior points per problem and step.</summary>
    public int InteriorPoints { get; init; } = 256;
    /// <summary>Boundary points per problem and step.</summary>
    public int BoundaryPoints { get; init; } = 128;
    /// <summary>Share of the problems that carry no solution and train on the PDE residual and boundary terms only.</summary>
    public double PhysicsFraction { get; init; }
    /// <summary>
    /// Share of the supervised problems whose solution vanishes on the square's sides
    /// (<see cref="PdeOps.Physics.Manufactured.ManufacturedProblems.Supervised(long, bool)"/>): problems driven by their source.
    /// </summary>
    public double ZeroSidesFraction { get; init; }
    /// <summary>
    /// Share of the problems that are physics-only (constant source and boundary data) with an
    /// elliptic operator and are supervised in u by their classical solution (<see cref="SolvedProblems"/>);
    /// the physics and zero-sides fractions apply to the rest.
    /// </summary>
    public double SolvedFraction { get; init; }
    /// <summary>Share of the solved problems whose source is a drawn function of x and y rather than a constant.</summary>
    public double SolvedDrawnSourceFraction { get; init; }
    /// <summary>Gradients are clipped to this global norm.</summary>
    public double GradientClip { get; init; } = 1;
    /// <summary>Validate, write metrics and save a resumable state every this many steps.</summary>
    public int CheckpointEvery { get; init; } = 200;
    /// <summary>Held-out manufactured problems scored at every checkpoint (relative L2 of u at their interior points).</summary>
    public int ValidationProblems { get; init; } = 32;
    /// <summary>Seed of the problems drawn on the fly, the points and the weights.</summary>
    public long Seed { get; init; }
    /// <summary>The loss and its weights.</summary>
    public HypinoLoss Loss { get; init; } = new();
    /// <summary>
    /// A HyPINO model folder (a run folder of the same network options) whose weights the run
    /// starts from instead of a random initialisation; the optimizer and the schedule start afresh.
    /// Null for a random start.
    /// </summary>
    public string? InitFrom { get; init; }

    /// <summary>The peak rate scaled at optimizer step <paramref name="step"/> (0-based): linear warm-up, then cosine decay to zero at <see cref="Steps"/>.</summary>
    public double LearningRateAt(long step)
    {
        if (step < WarmupSteps) return LearningRate * (step + 1) / WarmupSteps;
        double progress = (double)(step - WarmupSteps) / Math.Max(1, Steps - WarmupSteps);
        return 0.5 * LearningRate * (1 + Math.Cos(Math.PI * Math.Min(1, progress)));
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public HypinoTrainingOptions Validated()
    {
        if (Steps < 1) throw new ArgumentException($"steps must be at least 1 (got {Steps})");
        if (BatchSize < 1) throw new ArgumentException($"the batch size must be at least 1 (got {BatchSize})");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"the learning rate must be positive (got {LearningRate})");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) throw new ArgumentException($"the weight decay must be zero or positive (got {WeightDecay})");
        if (WarmupSteps < 0 || WarmupSteps >= Steps) throw new ArgumentException($"the warm-up ({WarmupSteps} steps) must be shorter than the run ({Steps} steps)");
        if (InteriorPoints < 1 || BoundaryPoints < 1) throw new ArgumentException("every problem needs at least one interior and one boundary point");
        if (!(PhysicsFraction >= 0 && PhysicsFraction <= 1)) throw new ArgumentException($"the physics fraction must lie in [0, 1] (got {PhysicsFraction})");
        if (!(ZeroSidesFraction >= 0 && ZeroSidesFraction <= 1)) throw new ArgumentException($"the zero-sides fraction must lie in [0, 1] (got {ZeroSidesFraction})");
        if (!(SolvedFraction >= 0 && SolvedFraction <= 1)) throw new ArgumentException($"the solved fraction must lie in [0, 1] (got {SolvedFraction})");
        if (!(SolvedDrawnSourceFraction >= 0 && SolvedDrawnSourceFraction <= 1)) throw new ArgumentException($"the drawn-source fraction must lie in [0, 1] (got {SolvedDrawnSourceFraction})");
        if (SolvedDrawnSourceFraction > 0 && SolvedFraction == 0) throw new ArgumentException("drawn sources apply to solved problems: give a solved fraction above 0");
        if (!(GradientClip > 0)) throw new ArgumentException($"the gradient clip must be positive (got {GradientClip})");
        if (CheckpointEvery < 1) throw new ArgumentException($"checkpoint at least every step (got {CheckpointEvery})");
        if (ValidationProblems < 1) throw new ArgumentException($"validate on at least one problem (got {ValidationProblems})");
        return this;
    }
}
