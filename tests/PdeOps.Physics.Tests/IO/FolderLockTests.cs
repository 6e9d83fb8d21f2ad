using PdeOps.Physics.IO;

namespace PdeOps.Physics.Tests.IO;

public sealed class FolderLockTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-lock-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void OneHolderAtATimeAndTheFolderStaysEmpty()
    {
        using (var first = FolderLock.TryAcquire(_dir))
        {
            Assert.NotNull(first);
            Assert.Null(FolderLock.TryAcquire(_dir));
        }
        using var again = FolderLock.TryAcquire(_dir);
        Assert.NotNull(again);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void AMissingFolderCannotBeLocked() =>
        Assert.Throws<DirectoryNotFoundException>(() => FolderLock.TryAcquire(Path.Combine(_dir, "absent")));
}
