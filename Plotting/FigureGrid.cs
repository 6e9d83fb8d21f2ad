using OxyPlot;

namespace PdeOps.Plotting;

/// <summary>
/// Several plot models laid out as a grid of equally sized panels under one optional title,
/// written as a single PNG (rendered with SkiaSharp) or SVG (the panels' SVGs nested in one document).
/// OxyPlot draws one model per image; this is how PdeOps puts, say, input, truth, prediction and
/// error side by side.
/// </summary>
public sealed class FigureGrid
{
    /// <summary>Height in pixels of the band holding the figure title, when there is one.</summary>
    public const int TitleBandHeight = 40;

    readonly PlotModel[][] _rows;

    /// <summary>Creates a grid; every row must hold the same, non-zero number of panels.</summary>
    /// <param name="title">Figure title drawn above the panels; empty for none.</param>
    /// <param name="rows">Panels row by row, top row first.</param>
    /// <param name="panelWidth">Width of each panel in pixels.</param>
    /// <param name="panelHeight">Height of each panel in pixels.</param>
    /// <exception cref="ArgumentException">The grid is empty or ragged, or a panel size is not positive.</exception>
    public FigureGrid(string title, IReadOnlyList<IReadOnlyList<PlotModel>> rows, int panelWidth, int panelHeight)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0 || rows[0].Count == 0) throw new ArgumentException("a figure grid needs at least one panel", nameof(rows));
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r].Count != rows[0].Count)
                throw new ArgumentException($"row {r} has {rows[r].Count} panels but row 0 has {rows[0].Count}", nameof(rows));
            for (int c = 0; c < rows[r].Count; c++)
                if (rows[r][c] is null) throw new ArgumentException($"panel ({r}, {c}) is null", nameof(rows));
        }
        if (panelWidth <= 0 || panelHeight <= 0)
            throw new ArgumentException($"panel size {panelWidth}x{panelHeight} must be positive");
        Title = title;
        _rows = rows.Select(row => row.ToArray()).ToArray();
        PanelWidth = panelWidth;
        PanelHeight = panelHeight;
    }

    /// <summary>Figure title drawn above the panels; empty for none.</summary>
    public string Title { get; }

    /// <summary>Number of panel rows.</summary>
    public int Rows => _rows.Length;

    /// <summary>Number of panels in each row.</summary>
    public int Columns => _rows[0].Length;

    /// <summary>Width of each panel in pixels.</summary>
    public int PanelWidth { get; }

    /// <summary>Height of each panel in pixels.</summary>
    public int PanelHeight { get; }

    /// <summary>Height in pixels of the title band: <see cref="TitleBandHeight"/>, or 0 without a title.</summary>
    public int TitleHeight => Title.Length > 0 ? TitleBandHeight : 0;

    /// <summary>Width of the whole figure in pixels.</summary>
    public int Width => Columns * PanelWidth;

    /// <summary>Height of the whole figure in pixels.</summary>
    public int Height => TitleHeight + Rows * PanelHeight;

    /// <summary>The panel in row <paramref name="row"/> (0 at the top) and column <paramref name="column"/>.</summary>
    public PlotModel this[int row, int column] => _rows[row][column];

    /// <summary>Writes the figure to <paramref name="path"/> (.png or .svg), replacing it atomically.</summary>
    /// <exception cref="ArgumentException">The extension is neither .png nor .svg.</exception>
    public void Save(string path)
    {
        FigureFile.FormatOf(path);   // a wrong extension is named with the path
        FigureFile.WriteBytes(path, Render(Path.GetExtension(path)));
    }

    /// <summary>
    /// Renders the figure in memory as the bytes of a PNG or SVG file (<paramref name="extension"/>
    /// ".png" or ".svg"), for callers that write it beside other files (<see cref="FigureExport.SaveRendered"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The extension is neither .png nor .svg.</exception>
    public byte[] Render(string extension)
    {
        var format = FigureFile.FormatOf("figure" + extension);
        using var memory = new MemoryStream();
        if (format == FigureFile.Format.Png) FigureGridPng.Write(this, memory);
        else FigureGridSvg.Write(this, memory);
        return memory.ToArray();
    }
}
