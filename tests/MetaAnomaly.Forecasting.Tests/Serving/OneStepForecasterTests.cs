using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Serving;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.Tests.Serving;

public sealed class OneStepForecasterTests : IDisposable
{
    private readonly CoreTestBed _bed = new();

    [Fact]
    public void ASeriesItNeverSawIsAnUnknownSeries()
    {
        using var core = _bed.Create();
        var window = _bed.Windows[0];

        var forecast = core.Forecaster.ForecastNext([new OneStepRequest(window.Key, window, window.End + window.Step)])[0];

        Assert.False(forecast.Available);
        Assert.Equal("unknown series: not yet seen by the forecasting core", forecast.Reason);
        Assert.Equal(SeriesModelStatus.WarmingUp, core.Forecaster.StateOf(window.Key).Status);
    }

    [Fact]
    public void ASeriesMovedOutOfItsClusterKeepsServingFromTheOldChunkUntilItIsAdaptedElsewhere()
    {
        var setup = new ForecastingSetup(_bed.Options);
        var layout = setup.LayoutFor(24, TimeSpan.FromHours(1));
        var window = _bed.Windows[0].TakeLast(layout.ServingSpan);
        using var learner = MetaLearnerRegistry.CreateDefault().Create("maml", setup.SettingsFor(layout));
        var chunk = new ServedChunk(ChunkAdaptation.Adapt(learner, [new SeriesSegment(window.Values, SeriesSegment.SlotIndex(window.Start, window.Step))], layout, 0));
        var snapshot = new ServingSnapshot("p24-a", layout, [chunk]);
        var states = new SeriesStates();
        using var snapshots = new ServingSnapshots(states);
        var served = new SeriesEntry(window.Key, window.Step, 24, [], "p24-a", SeriesModelStatus.Adapted, null,
            Slot: new ServingSlot(snapshot, 0, 0, chunk.Adapted.Normalisations[0]));
        snapshots.Publish("p24-a", snapshot, [served]);
        var forecaster = new OneStepForecaster(states, snapshots, setup);
        var request = new OneStepRequest(window.Key, window, window.End + window.Step);
        states.Set(served with { ClusterId = "p288-a" });

        snapshots.RetireAllBut(["p288-a"]);

        Assert.False(chunk.Disposed);
        Assert.True(forecaster.ForecastNext([request])[0].Available);
        Assert.True(states.NeedsAdaptation(window.Key));

        snapshots.Publish("p288-a", new ServingSnapshot("p288-a", layout, []), [served with { ClusterId = "p288-a", Slot = null, Status = SeriesModelStatus.Pending }]);

        Assert.True(chunk.Disposed);
    }

    [Fact]
    public void ASeriesNotAdaptedInItsNewClusterKeepsItsModelAndSaysWhy()
    {
        var layout = new ForecastingSetup(_bed.Options).LayoutFor(24, TimeSpan.FromHours(1));
        var snapshot = new ServingSnapshot("aperiodic-a", layout, []);
        var moved = new SeriesEntry(_bed.Windows[0].Key, TimeSpan.FromHours(1), 24, [], "p24-a", SeriesModelStatus.Adapted, null,
            Slot: new ServingSlot(snapshot, 0, 0, default));

        var waiting = moved.Unserved(SeriesModelStatus.Pending, "its cluster p24-a cannot be meta-trained yet");

        Assert.Equal(SeriesModelStatus.Adapted, waiting.Status);
        Assert.False(waiting.ServedByItsCluster);
        Assert.Contains("previous cluster aperiodic-a", waiting.Reason);
        Assert.Equal(SeriesModelStatus.Pending, (moved with { Slot = null }).Unserved(SeriesModelStatus.Pending, "no model").Status);
    }

    public void Dispose() => _bed.Dispose();
}
