namespace PdeOps.Plotting.Tests;

public sealed class FigureTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-fig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static double[,] Bump(int n)
    {
        var f = new double[n, n];
        for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) f[j, i] = Math.Sin(Math.PI * (i + 1) / (n + 1)) * Math.Sin(Math.PI * (j + 1) / (n + 1));
        return f;
    }

    [Fact]
    public void HeatMapPngHasTheRequestedSizeAndShowsTheField()
    {
        string path = Path.Combine(_dir, "u.png");
        FigureExport.Save(HeatMapFigure.Create(Bump(31), "bump"), path, 640, 480);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        // IHDR holds width and height big-endian at offsets 16 and 20.
        Assert.Equal(640, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(480, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.True(bytes.Length > 5000, "a heat map is more than a blank canvas");
    }

    [Fact]
    public void HeatMapSvgIsWritten()
    {
        string path = Path.Combine(_dir, "u.svg");
        FigureExport.Save(HeatMapFigure.Create(Bump(8), "bump"), path);
        Assert.Contains("<svg", File.ReadAllText(path));
    }

    [Fact]
    public void OtherExtensionsAreRefused() =>
        Assert.Throws<ArgumentException>(() => FigureExport.Save(HeatMapFigure.Create(Bump(4), "x"), Path.Combine(_dir, "u.jpg")));
}
