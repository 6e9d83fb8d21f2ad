using OxyPlot;

namespace PdeOps.Plotting;

/// <summary>Writes plot models to PNG or SVG files, choosing the format from the extension.</summary>
public static class FigureExport
{
    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> (.png or .svg), replacing it
    /// atomically: the image is rendered in memory, written under <c>FILE.partial</c> and renamed;
    /// on any failure (a full disk included) no file is left behind and the exception propagates.
    /// </summary>
    /// <exception cref="ArgumentException">The extension is neither .png nor .svg.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void Save(PlotModel model, string path, int width = 800, int height = 640) =>
        FigureFile.WriteBytes(path, Render(model, FigureFile.FormatOf(path) == FigureFile.Format.Png ? ".png" : ".svg", width, height));

    /// <summary>Writes a figure rendered by <see cref="Render"/> to <paramref name="path"/> through <c>FILE.partial</c> and a rename.</summary>
    /// <exception cref="IOException">The file could not be written; no file is left behind.</exception>
    public static void SaveRendered(byte[] figure, string path) => FigureFile.WriteBytes(path, figure);

    /// <summary>Renders <paramref name="model"/> in memory as the bytes of a PNG or SVG file (<paramref name="extension"/> ".png" or ".svg").</summary>
    /// <exception cref="ArgumentException">The extension is neither .png nor .svg.</exception>
    public static byte[] Render(PlotModel model, string extension, int width = 800, int height = 640)
    {
        var format = FigureFile.FormatOf("figure" + extension);
        using var memory = new MemoryStream();
        if (format == FigureFile.Format.Png) new OxyPlot.SkiaSharp.PngExporter { Width = width, Height = height }.Export(model, memory);
        else new OxyPlot.SvgExporter { Width = width, Height = height }.Export(model, memory);
        return memory.ToArray();
    }
}
