using System.Text.Json.Nodes;
using OxyPlot;
using PdeOps.Physics.IO;
using PdeOps.Plotting;

namespace PdeOps.Cli.Workflows;

/// <summary>
/// The files a solve writes (<c>--out</c>, <c>--plot</c>) and how a failure treats them. A solve
/// that succeeded writes both through partial files renamed only when both are complete; a solve
/// that failed writes nothing under those names (an existing file stays as it was) and, with
/// <c>--keep-unconverged</c>, writes its unconverged state beside them as
/// <c>NAME.unconverged.EXT</c>, marked with the root attributes converged = false and reason.
/// </summary>
/// <param name="Out">The HDF5 file to write, or null.</param>
/// <param name="Plot">The figure to write (.png or .svg), or null.</param>
/// <param name="KeepUnconverged">Write a failed solve's state to the marked names.</param>
public sealed record SolveOutputs(string? Out, string? Plot, bool KeepUnconverged)
{
    /// <summary>The name an unconverged result of <paramref name="path"/> is kept under: keep.h5 becomes keep.unconverged.h5.</summary>
    public static string UnconvergedName(string path)
    {
        string ext = Path.GetExtension(path);
        return ext.Length == 0 ? path + ".unconverged" : path[..^ext.Length] + ".unconverged" + ext;
    }

    /// <summary>
    /// Prints the report, then writes the outputs of a successful solve and returns 0; for a failed
    /// one (<paramref name="failure"/> set) keeps the marked outputs when asked and throws
    /// <see cref="SolveFailedException"/> with the reason.
    /// </summary>
    /// <param name="report">The report printed on stdout (JSON or text).</param>
    /// <param name="json">Print the report as JSON.</param>
    /// <param name="failure">Why the solve failed, or null.</param>
    /// <param name="writeHdf5">Writes the HDF5 file at the given path with the given extra root attributes (converged, reason).</param>
    /// <param name="plot">Builds the figure, or null when the state cannot be drawn.</param>
    public int Finish(JsonObject report, bool json, SolveFailure? failure,
        Action<string, IReadOnlyDictionary<string, object>> writeHdf5, Func<PlotModel>? plot)
    {
        if (failure is null)
        {
            var status = new Dictionary<string, object> { ["converged"] = true, ["reason"] = report["reason"]?.GetValue<string>() ?? "converged" };
            Write(Out, Plot, status, writeHdf5, plot);
            SolveReport.Print(report, json);
            return Infrastructure.ExitCodes.Ok;
        }
        SolveReport.Print(report, json);
        string reason = failure.Reason;
        if (KeepUnconverged && (Out is not null || Plot is not null))
        {
            var status = new Dictionary<string, object> { ["converged"] = false, ["reason"] = failure.Reason };
            string? keptOut = Out is null ? null : UnconvergedName(Out), keptPlot = Plot is null ? null : UnconvergedName(Plot);
            try
            {
                Write(keptOut, keptPlot, status, writeHdf5, plot);
                reason += $"; unconverged solution kept in {string.Join(" and ", new[] { keptOut, keptPlot }.OfType<string>())}";
            }
            catch (ArgumentException e) when (e.Message.Contains("non-finite", StringComparison.Ordinal))
            {
                reason += "; nothing kept: the unconverged state holds NaN or infinite values";
            }
        }
        throw new SolveFailedException(reason);
    }

    /// <summary>Writes both files under partial names, then renames them; on failure removes the partial files (<see cref="AtomicFile.WriteAll"/>).</summary>
    internal static void Write(string? outPath, string? plotPath, IReadOnlyDictionary<string, object> status,
        Action<string, IReadOnlyDictionary<string, object>> writeHdf5, Func<PlotModel>? plot) =>
        Write(outPath, plotPath, status, writeHdf5, plot is null ? null : extension => FigureExport.Render(plot(), extension));

    /// <summary>
    /// As the other overload, with the figure rendered by <paramref name="render"/> from the plot file's
    /// extension (.png or .svg): a figure of several panels.
    /// </summary>
    internal static void Write(string? outPath, string? plotPath, IReadOnlyDictionary<string, object> status,
        Action<string, IReadOnlyDictionary<string, object>> writeHdf5, Func<string, byte[]>? render)
    {
        // Render before touching the disk: a figure that cannot be drawn fails without writing anything.
        byte[]? figure = plotPath is not null && render is not null ? render(Path.GetExtension(plotPath)) : null;
        var paths = new List<string>();
        if (outPath is not null) paths.Add(outPath);
        if (plotPath is not null && figure is not null) paths.Add(plotPath);
        if (paths.Count == 0) return;
        AtomicFile.WriteAll(paths, partials =>
        {
            if (outPath is not null) writeHdf5(partials[0], status);
            if (figure is not null) FigureExport.SaveRendered(figure, partials[^1]);
        });
    }
}
