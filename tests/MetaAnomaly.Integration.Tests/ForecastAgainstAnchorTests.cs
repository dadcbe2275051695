extern alias bench;

using bench::MetaAnomaly.Bench.Replay;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Sinks;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Integration.Tests;

public sealed class ForecastAgainstAnchorTests
{
    private static readonly SeriesKey A = new("m", [new("s", "a")], "value");
    private static readonly SeriesKey B = new("m", [new("s", "b")], "value");
    private static readonly DateTimeOffset Day = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EachSeriesDayCountsAsBetterTiedOrWorseByItsSummedErrors()
    {
        var tally = new ForecastAgainstAnchor();

        await tally.HandleAsync(Tick(
            Input(A, Day.AddHours(1), value: 10, forecast: 10.5, anchor: 12),
            Input(A, Day.AddHours(2), value: 10, forecast: 11, anchor: 10),
            Input(A, Day.AddDays(1), value: 10, forecast: 9, anchor: 10),
            Input(B, Day.AddHours(3), value: 5, forecast: 6, anchor: 6)), CancellationToken.None);

        Assert.Equal(new FileDayTally(Better: 1, Tied: 1, Worse: 1), tally.Tally([A, B]));
        Assert.Equal(new FileDayTally(Better: 1, Tied: 0, Worse: 1), tally.Tally([A]));
    }

    [Fact]
    public async Task PrimingPointsUnavailableForecastsAndUnknownAnchorsAreLeftOut()
    {
        var tally = new ForecastAgainstAnchor();

        await tally.HandleAsync(Tick(
            Input(A, Day, value: 10, forecast: 10, anchor: 20, priming: true),
            Input(A, Day.AddHours(1), value: 10, forecast: 10, anchor: double.NaN),
            new DetectorInput(B, Day, 10, OneStepForecast.Unavailable(B, "no model yet"), null, false)), CancellationToken.None);

        Assert.Equal(0, tally.Tally([A, B]).Days);
        Assert.True(double.IsNaN(tally.Tally([A, B]).BetterShare));
    }

    private static DetectorInput Input(SeriesKey key, DateTimeOffset at, double value, double forecast, double anchor, bool priming = false) =>
        new(key, at, value, new OneStepForecast(key, true, forecast, 1, null) { Anchor = anchor }, "p24-a", priming);

    private static ScoringTick Tick(params DetectorInput[] inputs) => new([], []) { Inputs = inputs };
}
