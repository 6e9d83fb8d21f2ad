using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace PdeOps.Plotting;

/// <summary>
/// A heat map of a 2D field on a rectangle, exported headless to PNG (SkiaSharp) or SVG.
/// The field is indexed [y, x] as everywhere in PdeOps; y grows upwards in the picture.
/// </summary>
public static class HeatMapFigure
{
    /// <summary>
    /// Builds the plot model of <paramref name="field"/>; (x0, y0) and (x1, y1) are the
    /// coordinates of its first and last points (cell centres of the picture).
    /// </summary>
    public static PlotModel Create(double[,] field, string title, double x0 = 0, double x1 = 1, double y0 = 0, double y1 = 1,
        string colorLabel = "u", OxyPalette? palette = null)
    {
        int ny = field.GetLength(0), nx = field.GetLength(1);
        // OxyPlot's heat map takes data[x, y]; ours is [y, x].
        var data = new double[nx, ny];
        for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++) data[i, j] = field[j, i];
        var model = new PlotModel { Title = title, Background = OxyColors.White };
        model.Axes.Add(new LinearColorAxis
        {
            Position = AxisPosition.Right,
            Palette = palette ?? OxyPalettes.Viridis(256),
            Title = colorLabel,
        });
        // Axes span the whole cells, half a spacing beyond the first and last points.
        double hx = nx > 1 ? (x1 - x0) / (nx - 1) : 1, hy = ny > 1 ? (y1 - y0) / (ny - 1) : 1;
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "x", Minimum = x0 - hx / 2, Maximum = x1 + hx / 2 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "y", Minimum = y0 - hy / 2, Maximum = y1 + hy / 2 });
        model.Series.Add(new HeatMapSeries
        {
            X0 = x0,
            X1 = x1,
            Y0 = y0,
            Y1 = y1,
            Data = data,
            Interpolate = false,
            RenderMethod = HeatMapRenderMethod.Bitmap,
        });
        return model;
    }
}
