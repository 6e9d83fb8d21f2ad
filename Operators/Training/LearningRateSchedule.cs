namespace PdeOps.Operators.Training;

/// <summary>
/// The learning rate as a pure function of the optimizer step, so a resumed run needs no
/// scheduler state: it recomputes the rate from the step count.
/// </summary>
public static class LearningRateSchedule
{
    /// <summary>Share of the steps over which the one-cycle schedule warms up (PyTorch's OneCycleLR pct_start).</summary>
    public const double OneCycleWarmupFraction = 0.3;

    /// <summary>
    /// Rate at the first one-cycle step as a share of the peak: 1/25, PyTorch's OneCycleLR
    /// div_factor of 25.
    /// </summary>
    public const double OneCycleStartFraction = 0.04;

    /// <summary>The rate at optimizer step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>, with <paramref name="stepsPerEpoch"/> steps per epoch.</summary>
    public static double At(TrainingOptions options, long step, long totalSteps, int stepsPerEpoch)
    {
        double peak = options.LearningRate;
        double progress = totalSteps > 1 ? (double)step / totalSteps : 0;
        switch (options.Schedule)
        {
            case ScheduleKind.Constant:
                return peak;
            case ScheduleKind.Step:
                long epoch = step / Math.Max(1, stepsPerEpoch);
                return peak * Math.Pow(options.StepGamma, epoch / options.StepEpochs);
            case ScheduleKind.Cosine:
                return 0.5 * peak * (1 + Math.Cos(Math.PI * progress));
            case ScheduleKind.OneCycle:
                if (progress < OneCycleWarmupFraction)
                    return peak * (OneCycleStartFraction + (1 - OneCycleStartFraction) * progress / OneCycleWarmupFraction);
                return 0.5 * peak * (1 + Math.Cos(Math.PI * (progress - OneCycleWarmupFraction) / (1 - OneCycleWarmupFraction)));
            default:
                throw new ArgumentOutOfRangeException(nameof(options));
        }
    }
}
