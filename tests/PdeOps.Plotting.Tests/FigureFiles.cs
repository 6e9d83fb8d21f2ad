using System.Buffers.Binary;
using System.Xml.Linq;

namespace PdeOps.Plotting.Tests;

/// <summary>Checks on written figure files shared by the tests.</summary>
static class FigureFiles
{
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Asserts a PNG signature and returns the (width, height) from its IHDR chunk.</summary>
    public static (int Width, int Height) AssertPng(string path, int minBytes)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.True(bytes.Length > minBytes, $"{path} has {bytes.Length} bytes, expected more than {minBytes}");
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    /// <summary>Parses an SVG file as XML and returns the concatenated text of its &lt;text&gt; elements, one per line.</summary>
    public static (XDocument Document, string Texts) ParseSvg(string path)
    {
        var doc = XDocument.Load(path);
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        string texts = string.Join("\n", doc.Descendants(Svg + "text").Select(t => t.Value));
        return (doc, texts);
    }
}
