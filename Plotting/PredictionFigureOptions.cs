namespace PdeOps.Plotting;

/// <summary>Labels, coordinates and panel size of a <see cref="PredictionFigure"/>.</summary>
public sealed record PredictionFigureOptions
{
    /// <summary>Symbol of the operator's input field (the panel is titled "input a").</summary>
    public string InputSymbol { get; init; } = "a";

    /// <summary>Symbol of the solution field (the panel is titled "truth u").</summary>
    public string OutputSymbol { get; init; } = "u";

    /// <summary>Coordinate of the first point along x.</summary>
    public double X0 { get; init; }

    /// <summary>Coordinate of the last point along x.</summary>
    public double X1 { get; init; } = 1;

    /// <summary>Coordinate of the first row (drawn at the bottom) along y; unused for 1D fields.</summary>
    public double Y0 { get; init; }

    /// <summary>Coordinate of the last row along y; unused for 1D fields.</summary>
    public double Y1 { get; init; } = 1;

    /// <summary>
    /// Whether truth and prediction share one colour range (each panel still has its own colour axis),
    /// so that equal colours mean equal values across the two panels.
    /// </summary>
    public bool ShareTruthPredictionRange { get; init; } = true;

    /// <summary>Labels of the samples, one per row of a multi-sample figure; null for "sample 0", "sample 1", ...</summary>
    public IReadOnlyList<string>? SampleLabels { get; init; }

    /// <summary>Width of each panel in pixels; null for the default (400 for heat maps, 440 for line plots).</summary>
    public int? PanelWidth { get; init; }

    /// <summary>Height of each panel in pixels; null for the default (360 for heat maps, 300 for line plots).</summary>
    public int? PanelHeight { get; init; }
}
