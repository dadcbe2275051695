using MetaAnomaly.Forecasting.Planning;
using MetaAnomaly.Forecasting.Runs;
using MetaAnomaly.Forecasting.Tests.Serving;
using static MetaAnomaly.Forecasting.Tests.Serving.CoreTestBed;

namespace MetaAnomaly.Forecasting.Tests.Planning;

public sealed class ClusterPlannerTests : IDisposable
{
    private readonly CoreTestBed _bed = new();

    [Fact]
    public async Task ACatchUpTargetsOnlyTheSeriesWithoutAnAdaptedModel()
    {
        using var core = _bed.Create();
        await core.Runs.CatchUpAsync(CancellationToken.None);
        _bed.Windows.Add(Seasonal("late", 24 * 14, new Random(7)));

        var plan = core.Get<IClusterPlanner>().Plan(RunKind.CatchUp, null, CancellationToken.None);

        var target = Assert.Single(plan.Targets);
        Assert.Equal("p24-a", target.Cluster.Id);
        Assert.Equal([Key("late")], target.Keys);
        Assert.False(target.Replace);
        Assert.Equal(7, target.Cluster.Members.Count);
    }

    [Fact]
    public async Task AOneClusterRunTargetsThatClusterWholeWithoutLookingForNewSeries()
    {
        using var core = _bed.Create();
        await core.Runs.CatchUpAsync(CancellationToken.None);
        _bed.Windows.Add(Seasonal("late", 24 * 14, new Random(7)));

        var plan = core.Get<IClusterPlanner>().Plan(RunKind.Cluster, "p24-a", CancellationToken.None);

        var target = Assert.Single(plan.Targets);
        Assert.Equal(6, target.Keys.Count);
        Assert.True(target.Replace);
        Assert.Equal("not yet seen by the forecasting core", core.ReadModel.StateOf(Key("late")).Reason);
    }

    public void Dispose() => _bed.Dispose();
}
