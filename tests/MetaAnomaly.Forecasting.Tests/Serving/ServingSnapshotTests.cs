using MetaAnomaly.Forecasting.Serving;
using MetaAnomaly.Shared.Forecasts;
using static MetaAnomaly.Forecasting.Tests.Serving.CoreTestBed;

namespace MetaAnomaly.Forecasting.Tests.Serving;

public sealed class ServingSnapshotTests : IDisposable
{
    private readonly CoreTestBed _bed = new();

    public ServingSnapshotTests() => _bed.Options.Value.ChunkSize = 2;

    [Fact]
    public async Task AFullRunReplacesTheClustersSnapshotWholeAndDisposesTheChunksItNoLongerServes()
    {
        using var core = _bed.Create();
        await core.Runs.CatchUpAsync(CancellationToken.None);
        var snapshots = core.Get<ServingSnapshots>();
        var before = snapshots.Of("p24-a")!;
        var served = before.Chunks.ToArray();

        await core.Runs.RunScheduledAsync(CancellationToken.None);

        var after = snapshots.Of("p24-a")!;
        Assert.NotSame(before, after);
        Assert.Equal(3, served.Length);
        Assert.Equal(served, before.Chunks.ToArray());
        Assert.All(before.Chunks, chunk => Assert.True(chunk.Disposed));
        Assert.Equal(3, after.Chunks.Length);
        Assert.All(after.Chunks, chunk => Assert.False(chunk.Disposed));
    }

    [Fact]
    public async Task ACatchUpPublishesANewSnapshotWithThePreviousChunksAndOneForTheNewcomer()
    {
        using var core = _bed.Create();
        await core.Runs.CatchUpAsync(CancellationToken.None);
        var snapshots = core.Get<ServingSnapshots>();
        var before = snapshots.Of("p24-a")!;
        var served = before.Chunks.ToArray();
        var late = Seasonal("late", 24 * 14, new Random(7));
        _bed.Windows.Add(late);

        var run = await core.Runs.CatchUpAsync(CancellationToken.None);

        var after = snapshots.Of("p24-a")!;
        Assert.Equal(1, run.SeriesAdapted);
        Assert.NotSame(before, after);
        Assert.Equal(served, before.Chunks.ToArray());
        Assert.Equal(served, after.Chunks.Take(served.Length).ToArray());
        Assert.Equal(served.Length + 1, after.Chunks.Length);
        Assert.All(after.Chunks, chunk => Assert.False(chunk.Disposed));
        Assert.True(core.Forecaster.ForecastNext([new OneStepRequest(late.Key, late, late.End + late.Step)])[0].Available);
    }

    public void Dispose() => _bed.Dispose();
}
