using PdeOps.Datasets.Generation;
using PdeOps.Datasets.Storage;

namespace PdeOps.Datasets.Tests.Generation;

/// <summary>
/// A run holds its working folder: a second run on the same output, with or without --resume, is
/// refused while the first works, and the first finishes as if alone.
/// </summary>
public sealed class ConcurrentRunTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-concurrent-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ASecondRunOnTheSameOutputIsRefusedWhileTheFirstWorks()
    {
        string path = Path.Combine(_dir, "d.h5");
        var request = new GenerationRequest { Family = "darcy", Samples = 4, Resolution = 9, FineResolution = 17, Seed = 3 };
        var refusals = new List<string>();
        void SecondRuns(long done, long total)
        {
            if (refusals.Count > 0) return;
            foreach (bool resume in new[] { false, true })
            {
                var e = Assert.Throws<DataFileException>(() => DatasetGeneration.Run(request, path, new GenerationRunOptions { Resume = resume, Threads = 1 }));
                refusals.Add(e.Message);
            }
        }
        var summary = DatasetGeneration.Run(request, path, new GenerationRunOptions { Threads = 1, Progress = SecondRuns });
        Assert.Equal(2, refusals.Count);
        Assert.All(refusals, m => Assert.Contains("another run is writing this output now", m));
        Assert.Equal(4, summary.Generated);
        Assert.Equal(["d.h5"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
        // Released when the run ends: the same output can be made again.
        Assert.Equal(4, DatasetGeneration.Run(request, path, new GenerationRunOptions { Overwrite = true, Threads = 1 }).Generated);
    }
}
