using OxyPlot;

namespace PdeOps.Plotting;

/// <summary>Writes plot models to PNG or SVG files, choosing the format from the extension.</summary>
public static class FigureExport
{
    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> (.png or .svg), replacing it atomically.</summary>
    /// <exception cref="ArgumentException">The extension is neither .png nor .svg.</exception>
    public static void Save(PlotModel model, string path, int width = 800, int height = 640)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext != ".png" && ext != ".svg") throw new ArgumentException($"{path}: figures are written as .png or .svg");
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string partial = full + ".partial";
        using (var stream = File.Create(partial))
        {
            if (ext == ".png") new OxyPlot.SkiaSharp.PngExporter { Width = width, Height = height }.Export(model, stream);
            else new OxyPlot.SvgExporter { Width = width, Height = height }.Export(model, stream);
        }
        File.Move(partial, full, overwrite: true);
    }
}
