using PdeOps.Cli.Commands.Solve;

namespace PdeOps.Cli.Tests;

[Collection("console")]
public sealed class SolveProgressTests
{
    [Fact]
    public void ALongRunSaysHowFarItIsAndHowLongIsLeft()
    {
        // Redirected output (as under the test host): plain lines on stderr. The first two seconds stay quiet.
        var (_, stderr) = CliRunner.Capture(() => SolveProgress.Run("burgers", json: false, report =>
        {
            report(1, 10_000);
            Thread.Sleep(2100);
            report(2, 10_000); // first line: the rate so far gives the time left
            report(3, 10_000); // same tenth, within half a minute: quiet
            return 0;
        }));
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Matches(@"^burgers: step 2/10000 \(2 s, about [23] h left\)$", lines[0].TrimEnd('\r'));
    }

    [Fact]
    public void PlainProgressLinesGiveTheTimeLeftAsAPersonWouldSayIt()
    {
        // Redirected output (as under the test host): plain lines. pinn solve and hypino solve --finetune report this way.
        var (stdout, _) = CliRunner.Capture(() => PdeOps.Cli.Infrastructure.ProgressDisplay.Run("pinn", 10_000, report =>
        {
            Thread.Sleep(1100);
            report(1);
        }, "steps"));
        Assert.Matches(@"^pinn: 1/10000 \(0%, 1\.\d s, 0\.\d\d steps/s, about [34] h left\)", stdout);
    }

    [Theory]
    [InlineData(40, "40 s")]
    [InlineData(720, "12 min")]
    [InlineData(252_000, "70 h")]
    public void DurationsReadAsAPersonWouldSayThem(double seconds, string expected) => Assert.Equal(expected, PdeOps.Cli.Infrastructure.ProgressDisplay.Duration(seconds));
}
