using System.CommandLine;
using PdeOps.Operators.Hypino;

namespace PdeOps.Cli.Workflows;

/// <summary>
/// The command-line spelling of <see cref="RefinementWeighting"/> (<c>solution-units</c> or
/// <c>pinn-loss</c>), shared by the options that choose how refinement or fine-tuning weighs its loss.
/// </summary>
internal static class WeightingOption
{
    const string SolutionUnits = "solution-units", PinnLoss = "pinn-loss";

    /// <summary>An option that accepts the two spellings and defaults to <paramref name="defaultValue"/>.</summary>
    public static Option<string> Create(string name, string description, RefinementWeighting defaultValue)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => Name(defaultValue) };
        option.AcceptOnlyFromAmong(SolutionUnits, PinnLoss);
        return option;
    }

    /// <summary>The weighting the option's value names.</summary>
    public static RefinementWeighting Read(ParseResult parse, Option<string> option) =>
        parse.GetValue(option) == PinnLoss ? RefinementWeighting.PinnLoss : RefinementWeighting.SolutionUnits;

    /// <summary>The spelling of <paramref name="weighting"/>, as reports give it.</summary>
    public static string Name(RefinementWeighting weighting) => weighting == RefinementWeighting.PinnLoss ? PinnLoss : SolutionUnits;
}
