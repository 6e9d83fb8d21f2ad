using System.Globalization;
using PdeOps.Cli.Infrastructure;
using PdeOps.Datasets.Storage;
using PdeOps.Plotting;

namespace PdeOps.Cli.Workflows;

/// <summary>Writes a solved 2D field (all vertices, boundary included) with its inputs and provenance to HDF5, and heat maps.</summary>
public static class FieldOutput
{
    /// <summary>
    /// Writes <paramref name="u"/> and the named input fields ([y, x] over the (H, W) vertices of
    /// [0, lx] x [0, ly]) with coordinates x, y and the attributes given.
    /// </summary>
    public static void WriteHdf5(string path, double[,] u, IReadOnlyDictionary<string, double[,]> inputs,
        IReadOnlyDictionary<string, object> attributes, double lx = 1, double ly = 1)
    {
        int h = u.GetLength(0), w = u.GetLength(1);
        var builder = new FieldFileBuilder().AddArray("u", u);
        foreach (var (name, field) in inputs) builder.AddArray(name, field);
        builder.AddArray("x", Enumerable.Range(0, w).Select(i => i * lx / (w - 1)).ToArray())
               .AddArray("y", Enumerable.Range(0, h).Select(j => j * ly / (h - 1)).ToArray())
               .SetAttribute("layout", "u[y, x] at the vertices of a uniform grid, boundary included; x, y are their coordinates")
               .SetAttribute("pdeops_version", Versions.PdeOps)
               .SetAttribute("created_utc", DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture));
        foreach (var (name, value) in attributes) builder.SetAttribute(name, value);
        builder.Write(path);
    }

    /// <summary>Writes a heat map of a vertex field on [0, lx] x [0, ly].</summary>
    public static void WritePlot(string path, double[,] u, string title, double lx = 1, double ly = 1) =>
        FigureExport.Save(HeatMap(u, title, lx, ly), path);

    /// <summary>The heat map of a vertex field on [0, lx] x [0, ly].</summary>
    public static OxyPlot.PlotModel HeatMap(double[,] u, string title, double lx = 1, double ly = 1) =>
        HeatMapFigure.Create(u, title, 0, lx, 0, ly);

    /// <summary>The attributes with the solve's status (converged, reason) merged over them.</summary>
    public static Dictionary<string, object> WithStatus(IReadOnlyDictionary<string, object> attributes, IReadOnlyDictionary<string, object> status)
    {
        var merged = new Dictionary<string, object>(attributes);
        foreach (var (k, v) in status) merged[k] = v;
        return merged;
    }

    /// <summary>Formats a number for a title.</summary>
    public static string Short(double v) => v.ToString("0.00e+00", CultureInfo.InvariantCulture);
}
