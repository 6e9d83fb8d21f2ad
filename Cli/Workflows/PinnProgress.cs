using PdeOps.Cli.Infrastructure;
using PdeOps.Operators.Pinn;

namespace PdeOps.Cli.Workflows;

/// <summary>
/// Runs PINN training (<c>pinn solve</c>, <c>hypino solve --finetune</c>) under a progress display
/// of its steps, Adam and L-BFGS together, recording the loss often enough for the display to move.
/// </summary>
internal static class PinnProgress
{
    /// <summary>The options with a loss record about every twentieth of the run (at most every 50 steps).</summary>
    public static PinnSolveOptions Recorded(PinnSolveOptions options)
    {
        int total = options.AdamSteps + options.LbfgsSteps;
        return options with { RecordEvery = Math.Max(1, Math.Min(50, total / 20)) };
    }

    /// <summary>Runs <paramref name="train"/> under a display named <paramref name="name"/> of <paramref name="options"/>' steps.</summary>
    public static T Run<T>(string name, PinnSolveOptions options, Func<IProgress<PinnLossRecord>, T> train)
    {
        T result = default!;
        ProgressDisplay.Run(name, options.AdamSteps + options.LbfgsSteps, report => result = train(new StepProgress(report)), "steps");
        return result;
    }

    sealed class StepProgress(Action<long> report) : IProgress<PinnLossRecord>
    {
        public void Report(PinnLossRecord value) => report(value.Step);
    }
}
