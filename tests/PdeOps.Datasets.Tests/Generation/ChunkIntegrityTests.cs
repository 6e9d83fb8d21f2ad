using System.Security.Cryptography;
using System.Text;
using PdeOps.Datasets.Generation;
using PdeOps.Datasets.Storage;

namespace PdeOps.Datasets.Tests.Generation;

/// <summary>
/// A chunk in <c>FILE.partial/</c> whose checksum is valid but whose values are not finite (written
/// by a faulty earlier version, say) is still refused at assembly, naming the sample and the array.
/// </summary>
public sealed class ChunkIntegrityTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-chunk-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AssemblyRefusesNonFiniteValuesEvenInAChunkWithAValidChecksum()
    {
        string path = Path.Combine(_dir, "n.h5");
        var request = new GenerationRequest { Family = "darcy", Samples = 3, Resolution = 9, FineResolution = 17, Seed = 2 };
        using (var cancel = new CancellationTokenSource())
        {
            cancel.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => DatasetGeneration.Run(request, path, new GenerationRunOptions { Cancellation = cancel.Token }));
        }
        // Chunk 0 holds samples 0..2 of coefficient then solution, 81 float32 values each, as the
        // chunk format lays them out: magic, first sample, count, values, SHA-256 of all before it.
        var values = new float[2 * 3 * 81];
        values.AsSpan().Fill(1f);
        values[81 * 3 + 81 + 5] = float.PositiveInfinity; // solution of sample 1
        using var body = new MemoryStream();
        body.Write(Encoding.ASCII.GetBytes("PDOPCHK2"));
        body.Write(BitConverter.GetBytes(0L));
        body.Write(BitConverter.GetBytes(3));
        body.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        body.Write(SHA256.HashData(body.ToArray()));
        File.WriteAllBytes(Path.Combine(path + ".partial", "chunk-0000000000.bin"), body.ToArray());

        var e = Assert.Throws<DataFileException>(() => DatasetGeneration.Run(request, path, new GenerationRunOptions { Resume = true }));
        Assert.Contains("sample 1 of array 'solution' holds +Inf", e.Message);
        Assert.False(File.Exists(path));
    }
}
