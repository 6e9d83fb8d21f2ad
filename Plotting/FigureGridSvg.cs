using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using OxyPlot;

namespace PdeOps.Plotting;

/// <summary>
/// Writes a <see cref="FigureGrid"/> as one SVG document: each panel is exported by OxyPlot's SVG
/// exporter and nested as an &lt;svg x= y=&gt; element, its ids prefixed so that clip paths of
/// different panels do not collide.
/// </summary>
internal static class FigureGridSvg
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Writes <paramref name="grid"/> as an SVG document to <paramref name="stream"/>.</summary>
    public static void Write(FigureGrid grid, Stream stream)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using var writer = XmlWriter.Create(stream, settings);
        Build(grid).Save(writer);
    }

    /// <summary>Builds the SVG document of <paramref name="grid"/>.</summary>
    public static XDocument Build(FigureGrid grid)
    {
        var root = new XElement(Svg + "svg",
            new XAttribute("version", "1.1"),
            new XAttribute("width", grid.Width),
            new XAttribute("height", grid.Height),
            new XAttribute("viewBox", $"0 0 {grid.Width} {grid.Height}"),
            new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "white")));
        if (grid.TitleHeight > 0)
        {
            var first = grid[0, 0];
            root.Add(new XElement(Svg + "text",
                new XAttribute("x", Number(grid.Width / 2.0)),
                new XAttribute("y", Number(grid.TitleHeight / 2.0)),
                new XAttribute("text-anchor", "middle"),
                new XAttribute("dominant-baseline", "central"),
                new XAttribute("font-family", first.DefaultFont ?? "sans-serif"),
                new XAttribute("font-size", Number(first.TitleFontSize * 1.25)),
                new XAttribute("font-weight", "bold"),
                grid.Title));
        }
        for (int r = 0; r < grid.Rows; r++)
        {
            for (int c = 0; c < grid.Columns; c++)
            {
                string text = SvgExporter.ExportToString(grid[r, c], grid.PanelWidth, grid.PanelHeight, false);
                var panel = XElement.Parse(text);
                PrefixIds(panel, $"p{r}_{c}_");
                panel.SetAttributeValue("x", c * grid.PanelWidth);
                panel.SetAttributeValue("y", grid.TitleHeight + r * grid.PanelHeight);
                root.Add(panel);
            }
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    /// <summary>Prefixes every id in <paramref name="panel"/> and every local reference to one (url(#id), href="#id").</summary>
    static void PrefixIds(XElement panel, string prefix)
    {
        foreach (var attribute in panel.DescendantsAndSelf().Attributes())
        {
            if (attribute.Name.LocalName == "id") attribute.Value = prefix + attribute.Value;
            else if (attribute.Value.Contains("url(#", StringComparison.Ordinal)) attribute.Value = attribute.Value.Replace("url(#", "url(#" + prefix, StringComparison.Ordinal);
            else if (attribute.Name.LocalName == "href" && attribute.Value.StartsWith('#')) attribute.Value = "#" + prefix + attribute.Value[1..];
        }
    }

    static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
