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

    /// <summary>The smallest and largest finite value of <paramref name="values"/>; (NaN, NaN) when there is none.</summary>
    public static (double Min, double Max) FiniteRange(IEnumerable<float> values) => FiniteRange(values.Select(v => (double)v));

    /// <inheritdoc cref="FiniteRange(IEnumerable{float})"/>
    public static (double Min, double Max) FiniteRange(IEnumerable<double> values)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) continue;
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }
        return lo <= hi ? (lo, hi) : (double.NaN, double.NaN);
    }

    /// <summary>
    /// Fixes the colour axis of a heat map made by <see cref="Create"/> to [<paramref name="lo"/>, <paramref name="hi"/>],
    /// widening a constant field's empty range so the axis can be drawn; a NaN end leaves the axis as it was.
    /// </summary>
    public static void SetColorRange(PlotModel model, double lo, double hi)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (double.IsNaN(lo) || double.IsNaN(hi)) return;
        if (hi <= lo)
        {
            double pad = lo == 0 ? 1 : Math.Abs(lo) * 1e-3;
            (lo, hi) = (lo - pad, hi + pad);
        }
        var axis = model.Axes.OfType<LinearColorAxis>().Single();
        axis.Minimum = lo;
        axis.Maximum = hi;
    }
}
