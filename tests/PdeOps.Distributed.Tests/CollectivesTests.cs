namespace PdeOps.Distributed.Tests;

public class CollectivesTests
{
    [Fact]
    public void AgreeReturnsWhenNoRankFailed()
    {
        var results = ThreadCommunicator.Run(3, c => { c.Agree(null); return c.Rank; });
        Assert.All(results, r => Assert.Null(r.Error));
    }

    [Fact]
    public void AgreeStopsEveryRankWithTheLowestFailure()
    {
        var results = ThreadCommunicator.Run(4, c =>
        {
            c.Agree(c.Rank is 1 or 3 ? new InvalidOperationException($"disk full on\nrank {c.Rank}") : null);
            return 0;
        });
        Assert.IsType<InvalidOperationException>(results[1].Error);
        Assert.IsType<InvalidOperationException>(results[3].Error);
        foreach (int rank in new[] { 0, 2 })
        {
            var e = Assert.IsType<RankFailedException>(results[rank].Error);
            Assert.Equal(1, e.FailedRank);
            Assert.Equal("rank 1 of 4 failed: disk full on rank 1", e.Message);
        }
    }

    [Fact]
    public void TogetherReturnsTheResultOnEveryRank()
    {
        var results = ThreadCommunicator.Run(2, c => c.Together(() => c.Rank * 10));
        Assert.Equal([0, 10], results.Select(r => r.Result));
    }

    [Fact]
    public void RequireSameRefusesEveryRankWithOneMessage()
    {
        var results = ThreadCommunicator.Run(3, c =>
        {
            c.RequireSame("settings", c.Rank == 2 ? "seed=1" : "seed=0", (reference, mine) => $"{reference} on rank 0, {mine} here");
            return 0;
        });
        var messages = results.Select(r => Assert.IsType<RankMismatchException>(r.Error).Message).Distinct().ToList();
        Assert.Equal(["rank 2 of 3 was started with other settings than rank 0 (seed=0 on rank 0, seed=1 here); start every rank with the same command and inputs"], messages);
        Assert.All(ThreadCommunicator.Run(3, c => { c.RequireSame("settings", "same"); return 0; }), r => Assert.Null(r.Error));
    }

    [Fact]
    public void BroadcastTextCarriesLongTextFromAnyRoot()
    {
        string text = string.Concat(Enumerable.Repeat("Dirichlet ü ", 5000));
        var results = ThreadCommunicator.Run(3, c => c.BroadcastText(c.Rank == 2 ? text : "", root: 2));
        Assert.All(results, r => Assert.Equal(text, r.Result));
    }

    [Fact]
    public void OneProcessCollectivesAreIdentities()
    {
        var one = SingleProcessCommunicator.Instance;
        float[] values = [1.5f, -2f];
        one.Allreduce(values, ReduceOperation.Sum);
        Assert.Equal([1.5f, -2f], values);
        Assert.Equal("x", one.BroadcastText("x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => one.Broadcast(new byte[1], 1));
        var failure = new IOException("no space");
        Assert.Same(failure, Assert.Throws<IOException>(() => one.Agree(failure)));
    }
}
