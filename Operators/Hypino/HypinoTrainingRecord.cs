using System.Globalization;
using System.Text.Json.Nodes;

namespace PdeOps.Operators.Hypino;

/// <summary>
/// One line of a HyPINO run's metrics: the mean training loss terms since the previous record and
/// the validation error at <see cref="Step"/>.
/// </summary>
/// <param name="Step">Optimizer steps taken.</param>
/// <param name="LearningRate">The rate of the last step.</param>
/// <param name="Loss">Mean weighted loss.</param>
/// <param name="Residual">Mean residual term.</param>
/// <param name="Solution">Mean solution term.</param>
/// <param name="Derivatives">Mean derivative term.</param>
/// <param name="Dirichlet">Mean Dirichlet term.</param>
/// <param name="Neumann">Mean Neumann term.</param>
/// <param name="ValidationRelativeL2">Mean relative L2 error of u on the held-out manufactured problems.</param>
/// <param name="SamplesPerSecond">Training problems per second of training time since the previous record.</param>
/// <param name="Seconds">Training time in all, over every session of the run.</param>
public sealed record HypinoTrainingRecord(int Step, double LearningRate, double Loss, double Residual, double Solution, double Derivatives,
    double Dirichlet, double Neumann, double ValidationRelativeL2, double SamplesPerSecond, double Seconds)
{
    /// <summary>The header of metrics.csv.</summary>
    public const string CsvHeader = "step,lr,loss,residual,solution,derivatives,dirichlet,neumann,val_rel_l2,samples_per_s,seconds";

    /// <summary>The record as a metrics.csv line.</summary>
    public string ToCsv() => string.Join(',', new double[] { Step, LearningRate, Loss, Residual, Solution, Derivatives, Dirichlet, Neumann, ValidationRelativeL2, SamplesPerSecond, Seconds }
        .Select(v => v.ToString("G6", CultureInfo.InvariantCulture)));

    /// <summary>The record as JSON.</summary>
    public JsonObject ToJson() => new()
    {
        ["step"] = Step,
        ["lr"] = LearningRate,
        ["loss"] = Loss,
        ["residual"] = Residual,
        ["solution"] = Solution,
        ["derivatives"] = Derivatives,
        ["dirichlet"] = Dirichlet,
        ["neumann"] = Neumann,
        ["val_rel_l2"] = ValidationRelativeL2,
        ["samples_per_s"] = SamplesPerSecond,
        ["seconds"] = Seconds,
    };

    /// <summary>Reads a record written by <see cref="ToJson"/>.</summary>
    public static HypinoTrainingRecord FromJson(JsonObject json)
    {
        double D(string key) => json[key]?.GetValue<double>() ?? throw new FormatException($"missing '{key}'");
        return new((int)D("step"), D("lr"), D("loss"), D("residual"), D("solution"), D("derivatives"), D("dirichlet"), D("neumann"), D("val_rel_l2"), D("samples_per_s"), D("seconds"));
    }
}
