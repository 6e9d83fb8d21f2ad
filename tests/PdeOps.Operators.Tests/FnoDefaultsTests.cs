using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;

namespace PdeOps.Operators.Tests;

/// <summary>The paper's FNO configuration per dimension and grid convention.</summary>
public class FnoDefaultsTests
{
    [Fact]
    public void DefaultsFollowThePaperPerDimensionAndPadOnlyClosedGrids()
    {
        var burgers = FnoOptions.Defaults(1, GridConvention.Periodic);
        Assert.Equal(1, burgers.Dimensions);
        Assert.Equal(new[] { 16 }, burgers.Modes);
        Assert.Equal(0, burgers.Padding);
        var darcy = FnoOptions.Defaults(2, GridConvention.Closed);
        Assert.Equal(new[] { 12, 12 }, darcy.Modes);
        Assert.Equal(9, darcy.Padding);
        Assert.Equal((32, 4), (darcy.Width, darcy.Layers));
        Assert.Equal(new[] { 12, 12, 12 }, FnoOptions.Defaults(3, GridConvention.Closed).Modes);
        Assert.Throws<ArgumentOutOfRangeException>(() => FnoOptions.Defaults(4, GridConvention.Closed));
    }
}
