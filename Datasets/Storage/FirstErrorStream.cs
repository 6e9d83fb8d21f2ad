using System.Runtime.ExceptionServices;

namespace PdeOps.Datasets.Storage;

/// <summary>
/// A pass-through stream that remembers the first I/O exception its inner stream threw. Writers
/// such as PureHDF catch a failed write and report a later, unrelated symptom ("chunks can only be
/// written once"); <see cref="ThrowFirstFailure"/> surfaces the real cause (a full disk) instead.
/// </summary>
internal sealed class FirstErrorStream(Stream inner) : Stream
{
    /// <summary>The first I/O exception met, if any.</summary>
    public IOException? Failure { get; private set; }

    /// <summary>Rethrows <see cref="Failure"/> with its original stack trace, when there is one.</summary>
    public void ThrowFirstFailure()
    {
        if (Failure is { } failure) ExceptionDispatchInfo.Capture(failure).Throw();
    }

    T Guard<T>(Func<T> action)
    {
        try { return action(); }
        catch (IOException e) { Failure ??= e; throw; }
    }

    void Guard(Action action)
    {
        try { action(); }
        catch (IOException e) { Failure ??= e; throw; }
    }

    /// <inheritdoc />
    public override bool CanRead => inner.CanRead;
    /// <inheritdoc />
    public override bool CanSeek => inner.CanSeek;
    /// <inheritdoc />
    public override bool CanWrite => inner.CanWrite;
    /// <inheritdoc />
    public override long Length => inner.Length;
    /// <inheritdoc />
    public override long Position { get => inner.Position; set => Guard(() => inner.Position = value); }
    /// <inheritdoc />
    public override void Flush() => Guard(inner.Flush);
    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Guard(() => inner.Read(buffer, offset, count));
    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => Guard(() => inner.Seek(offset, origin));
    /// <inheritdoc />
    public override void SetLength(long value) => Guard(() => inner.SetLength(value));
    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Guard(() => inner.Write(buffer, offset, count));
    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try { inner.Write(buffer); }
        catch (IOException e) { Failure ??= e; throw; }
    }
}
