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
    public void ASeriesWhoseChunkWasSwappedOutAnswersThatItIsBeingReadapted()
    {
        var setup = new ForecastingSetup(_bed.Options);
        var layout = setup.LayoutFor(24);
        var window = _bed.Windows[0].TakeLast(layout.ServingSpan);
        using var learner = MetaLearnerRegistry.CreateDefault().Create("maml", setup.SettingsFor(layout));
        var chunk = new ServedChunk(ChunkAdaptation.Adapt(learner, [new SeriesSegment(window.Values, SeriesSegment.SlotIndex(window.Start, window.Step))], layout, 0));
        var snapshot = new ServingSnapshot(layout, [chunk]);
        var states = new SeriesStates();
        using var snapshots = new ServingSnapshots(states);
        snapshots.Publish("p24-a", snapshot, [new SeriesEntry(window.Key, window.Step, 24, [], "p24-a", SeriesModelStatus.Adapted, null,
            Slot: new ServingSlot(snapshot, 0, 0, chunk.Adapted.Normalisations[0]))]);
        var forecaster = new OneStepForecaster(states, snapshots, setup);
        var request = new OneStepRequest(window.Key, window, window.End + window.Step);
        Assert.True(forecaster.ForecastNext([request])[0].Available);

        snapshots.Publish("p24-a", new ServingSnapshot(layout, []), []);

        var forecast = forecaster.ForecastNext([request])[0];
        Assert.True(chunk.Disposed);
        Assert.False(forecast.Available);
        Assert.Equal("the series is being re-adapted", forecast.Reason);
    }

    public void Dispose() => _bed.Dispose();
}
