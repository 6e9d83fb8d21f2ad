using PdeOps.Solvers.Spectral;

namespace PdeOps.Solvers.Tests.Spectral;

public sealed class StepScheduleTests
{
    [Fact]
    public void ProgressComesEveryHundredthOfTheRunAndAfterEverySlowSecond()
    {
        var schedule = new StepSchedule(1, 0.001, null);
        Assert.Equal(1000, schedule.Steps);
        var calls = new List<(int Done, int Total)>();
        void Report(int done, int total) => calls.Add((done, total));
        schedule.ReportProgress(1, Report);
        schedule.ReportProgress(10, Report); // a hundredth
        Assert.Equal([(10, 1000)], calls);
        // A large grid: a hundredth of the steps takes minutes, so a step that ends a second after the last report reports too.
        Thread.Sleep(1100);
        schedule.ReportProgress(13, Report);
        schedule.ReportProgress(14, Report);
        schedule.ReportProgress(1000, Report); // the end
        Assert.Equal([(10, 1000), (13, 1000), (1000, 1000)], calls);
    }
}
