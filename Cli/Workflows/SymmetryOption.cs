using System.CommandLine;
using PdeOps.Physics.Manufactured;

namespace PdeOps.Cli.Workflows;

/// <summary>The command-line spelling of <see cref="SymmetryAveraging"/>: <c>--symmetry none|sign|full</c>.</summary>
internal static class SymmetryOption
{
    /// <summary>The option, defaulting to none (one PINN; an average multiplies the members that refinement refits and fine-tuning trains).</summary>
    public static Option<string> Create(string description)
    {
        var option = new Option<string>("--symmetry") { Description = description, DefaultValueFactory = _ => Name(SymmetryAveraging.None) };
        option.AcceptOnlyFromAmong(Enum.GetValues<SymmetryAveraging>().Select(Name).ToArray());
        return option;
    }

    /// <summary>The averaging the option's value names.</summary>
    public static SymmetryAveraging Read(ParseResult parse, Option<string> option) =>
        Enum.GetValues<SymmetryAveraging>().First(a => Name(a) == parse.GetValue(option));

    /// <summary>The spelling of <paramref name="averaging"/>, as reports give it.</summary>
    public static string Name(SymmetryAveraging averaging) => averaging.ToString().ToLowerInvariant();
}
