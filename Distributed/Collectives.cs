using System.Runtime.ExceptionServices;
using System.Text;

namespace PdeOps.Distributed;

/// <summary>
/// Collective checks built on an <see cref="ICommunicator"/>, so that ranks fail together and with
/// one message rather than leaving the others waiting in a collective that never completes.
/// </summary>
public static class Collectives
{
    /// <summary>Rank <paramref name="root"/>'s <paramref name="text"/> on every rank (the others' argument is ignored).</summary>
    public static string BroadcastText(this ICommunicator communicator, string text, int root = 0)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        if (communicator.Size == 1) return text;
        byte[] bytes = communicator.Rank == root ? Encoding.UTF8.GetBytes(text) : [];
        Span<byte> length = stackalloc byte[sizeof(int)];
        BitConverter.TryWriteBytes(length, bytes.Length);
        communicator.Broadcast(length, root);
        int count = BitConverter.ToInt32(length);
        if (communicator.Rank != root) bytes = new byte[count];
        communicator.Broadcast(bytes, root);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// Tells every rank whether any rank failed. When none did it returns; otherwise the ranks that
    /// failed rethrow their own <paramref name="failure"/> and the others throw a
    /// <see cref="RankFailedException"/> with the message of the lowest failed rank. Every rank must
    /// call it at the same point, with null where it succeeded.
    /// </summary>
    public static void Agree(this ICommunicator communicator, Exception? failure)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        if (communicator.Size == 1)
        {
            if (failure is not null) ExceptionDispatchInfo.Throw(failure);
            return;
        }
        int failed = LowestFlagged(communicator, failure is not null);
        if (failed == communicator.Size) return;
        string cause = communicator.BroadcastText(failed == communicator.Rank ? OneLine(failure!.Message) : "", failed);
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        throw new RankFailedException(failed, communicator.Size, cause);
    }

    /// <summary>Runs <paramref name="work"/> on every rank, then <see cref="Agree"/>s on its outcome.</summary>
    public static void Together(this ICommunicator communicator, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Together(communicator, () => { work(); return true; });
    }

    /// <summary>Runs <paramref name="work"/> on every rank, then <see cref="Agree"/>s on its outcome; returns its result.</summary>
    public static T Together<T>(this ICommunicator communicator, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        T result = default!;
        Exception? failure = null;
        try { result = work(); }
        catch (Exception e) { failure = e; }
        communicator.Agree(failure);
        return result;
    }

    /// <summary>
    /// Refuses, on every rank alike, a job whose ranks hold different <paramref name="text"/> (the
    /// resolved settings of the run, say): each rank compares its text with rank 0's and the first
    /// rank that differs names the difference with <paramref name="describe"/> (rank 0's text, its
    /// own), or "differs" when none is given.
    /// </summary>
    /// <exception cref="RankMismatchException">Some rank's text differs from rank 0's.</exception>
    public static void RequireSame(this ICommunicator communicator, string what, string text, Func<string, string, string>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        if (communicator.Size == 1) return;
        string reference = communicator.BroadcastText(text, 0);
        string? difference = reference == text ? null : OneLine(describe?.Invoke(reference, text) ?? "differs");
        int first = LowestFlagged(communicator, difference is not null);
        if (first == communicator.Size) return;
        string named = communicator.BroadcastText(difference ?? "", first);
        throw new RankMismatchException($"rank {first} of {communicator.Size} was started with other {what} than rank 0 ({named}); start every rank with the same command and inputs");
    }

    /// <summary>The lowest rank whose <paramref name="flag"/> is set, or the size when none is.</summary>
    static int LowestFlagged(ICommunicator communicator, bool flag)
    {
        Span<double> lowest = [flag ? communicator.Rank : communicator.Size];
        communicator.Allreduce(lowest, ReduceOperation.Min);
        return (int)lowest[0];
    }

    static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
