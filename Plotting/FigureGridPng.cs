using OxyPlot;
using OxyPlot.SkiaSharp;
using SkiaSharp;

namespace PdeOps.Plotting;

/// <summary>Renders a <see cref="FigureGrid"/> into one PNG: every panel is drawn by OxyPlot's Skia renderer on a shared canvas.</summary>
internal static class FigureGridPng
{
    /// <summary>Writes <paramref name="grid"/> as a PNG image to <paramref name="stream"/>.</summary>
    public static void Write(FigureGrid grid, Stream stream)
    {
        using var bitmap = new SKBitmap(grid.Width, grid.Height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using (var context = new SkiaRenderContext { RenderTarget = RenderTarget.PixelGraphic, SkCanvas = canvas, DpiScale = 1 })
        {
            if (grid.TitleHeight > 0)
            {
                var first = grid[0, 0];
                context.DrawText(new ScreenPoint(grid.Width / 2.0, grid.TitleHeight / 2.0), grid.Title, OxyColors.Black,
                    first.DefaultFont, first.TitleFontSize * 1.25, FontWeights.Bold, 0, HorizontalAlignment.Center, VerticalAlignment.Middle);
            }
            for (int r = 0; r < grid.Rows; r++)
            {
                for (int c = 0; c < grid.Columns; c++)
                {
                    IPlotModel model = grid[r, c];
                    canvas.Save();
                    canvas.Translate(c * grid.PanelWidth, grid.TitleHeight + r * grid.PanelHeight);
                    canvas.ClipRect(new SKRect(0, 0, grid.PanelWidth, grid.PanelHeight));
                    model.Update(true);
                    model.Render(context, new OxyRect(0, 0, grid.PanelWidth, grid.PanelHeight));
                    canvas.Restore();
                }
            }
        }
        canvas.Flush();
        using var skStream = new SKManagedWStream(stream);
        if (!bitmap.Encode(skStream, SKEncodedImageFormat.Png, 100)) throw new IOException("SkiaSharp could not encode the figure as PNG");
    }
}
