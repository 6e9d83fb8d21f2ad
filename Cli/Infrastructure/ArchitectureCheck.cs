using PdeOps.Operators.Layers;
using PdeOps.Operators.Models;

namespace PdeOps.Cli.Infrastructure;

/// <summary>
/// Checks a model's sizes against a grid and the machine before any work (<c>pdeops train</c>,
/// <c>pdeops bench fno|mgno</c>): settings that the grid cannot hold and sizes whose memory
/// estimate exceeds the machine are usage errors naming the option, where they failed inside the
/// model, or crashed the process, once the work had begun.
/// </summary>
internal static class ArchitectureCheck
{
    /// <summary>
    /// Requires <paramref name="architecture"/> to fit <paramref name="fitGrid"/> (its modes, local
    /// kernels and multigrid levels) and a training step of <paramref name="batch"/> samples on
    /// <paramref name="memoryGrid"/> to fit in memory.
    /// </summary>
    /// <exception cref="UsageException">A setting does not fit the grid, or the step does not fit in memory.</exception>
    public static void Require(NeuralOperatorOptions architecture, IReadOnlyList<int> fitGrid, IReadOnlyList<int> memoryGrid, int batch)
    {
        try
        {
            architecture.ForTrainingGrid(fitGrid).Validated();
            if (architecture is FnoOptions fno)
            {
                fno.CheckModesFit(fitGrid);
                fno.CheckLocalKernelsFit(fitGrid);
            }
            if (architecture is PointOperatorOptions points) points.CheckModesFit(fitGrid);
        }
        catch (ArgumentException e) when (e.ParamName is { } setting)
        {
            throw new UsageException($"--{Kebab(setting)}: {e.Message.Replace($" (Parameter '{setting}')", "")[(setting.Length + 2)..]}");
        }
        if (architecture is MgnoOptions mgno && fitGrid.Count == 2 && fitGrid.Min() < MultigridVCycle2d.MinimumSize(mgno.Levels))
            throw new UsageException($"--levels {mgno.Levels}: a {string.Join("x", fitGrid)} grid is too small for {mgno.Levels} multigrid levels (needs at least {MultigridVCycle2d.MinimumSize(mgno.Levels)} points per axis); use fewer levels");
        string sizes = architecture switch
        {
            FnoOptions f => $"--width {f.Width} --modes {f.Modes[0]} --layers {f.Layers} --projection-width {f.ProjectionWidth}",
            MgnoOptions m => $"--width {m.Width} --layers {m.Layers} --levels {m.Levels}",
            UNetOptions u => $"--width {u.Width} --levels {u.Levels}",
            ResNetOptions r => $"--width {r.Width} --layers {r.Layers}",
            ViTOptions v => $"--width {v.Width} --layers {v.Layers} --heads {v.Heads} --patch-size {v.PatchSize}",
            PointOperatorOptions { HasSpectralConvolution: true } a => $"--width {a.Width} --layers {a.Layers} --heads {a.Heads} --modes {a.Modes}",
            PointOperatorOptions p => $"--width {p.Width} --layers {p.Layers} --heads {p.Heads}",
            _ => "the model",
        };
        MemoryBudget.Require(architecture.EstimateTrainingBytes(memoryGrid, batch), $"training {sizes} with --batch {batch} on a {string.Join("x", memoryGrid)} grid");
    }

    /// <summary>"TrapezoidalEdges" as the command line spells it: "trapezoidal-edges".</summary>
    static string Kebab(string name) => string.Concat(name.Select((ch, i) => char.IsUpper(ch) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(ch) : ch.ToString()));
}
