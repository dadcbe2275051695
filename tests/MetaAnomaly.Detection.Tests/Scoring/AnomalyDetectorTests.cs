using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Extensions;
using MetaAnomaly.Detection.Rules;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Tests.Support;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Detection.Tests.Scoring;

public sealed class AnomalyDetectorTests
{
    private const int Period = 24;

    [Fact]
    public void FlagsInjectedSpikeAndNothingElse()
    {
        var values = Synthetic.Seasonal(800, seed: 1);
        values[600] += 15;

        var points = Run(values, new DetectionOptions());

        var flagged = points.Where(p => p.Point.Anomalous).Select(p => p.Index).ToArray();
        Assert.Contains(600, flagged);
        Assert.All(flagged, i => Assert.InRange(i, 600, 600 + Period));
        var spike = points.Single(p => p.Index == 600).Point;
        Assert.True(spike.Score > 5, $"score {spike.Score}");
        Assert.True(spike.Probability > 0.9999, $"probability {spike.Probability}");
    }

    [Fact]
    public void DownRuleIgnoresUpwardSpike()
    {
        var values = Synthetic.Seasonal(800, seed: 2);
        values[600] += 15;
        var options = new DetectionOptions { Rules = [new AlarmRuleOptions { Name = "drops", Direction = AnomalyDirection.Down }] };

        Assert.DoesNotContain(Run(values, options), p => p.Index == 600 && p.Point.Anomalous);
    }

    [Fact]
    public void MinimumDurationIgnoresSinglePointButCatchesLevelShift()
    {
        var values = Synthetic.Seasonal(800, seed: 3);
        values[500] += 15;
        for (var i = 650; i < 660; i++)
        {
            values[i] += 15;
        }
        var options = new DetectionOptions { Rules = [new AlarmRuleOptions { Name = "sustained", MinDuration = 3 }] };

        var flagged = Run(values, options).Where(p => p.Point.Anomalous).Select(p => p.Index).ToArray();

        Assert.DoesNotContain(500, flagged);
        Assert.Contains(652, flagged);
    }

    [Fact]
    public void WarmUpPointsAreNeverAnomalous()
    {
        var values = Synthetic.Seasonal(200, seed: 4);
        values[40] += 100;
        var options = new DetectionOptions { Warmup = { Points = 64 } };

        var points = Run(values, options);

        Assert.All(points.Where(p => p.Index - Period < 64), p => Assert.False(p.Point.Anomalous));
        Assert.All(points.Where(p => p.Index - Period < 64), p => Assert.False(p.Point.Scored));
    }

    [Fact]
    public void NonFiniteValuesAndUnavailableForecastsAreNotScored()
    {
        var detector = DetectionExtensions.CreateDetector(new DetectionOptions(), ConfiguredThresholds.Instance, TimeProvider.System);
        var key = Synthetic.Key();
        var forecast = new OneStepForecast(key, true, 1, 1, null);

        Assert.Null(detector.Observe(key, Synthetic.Start, double.NaN, forecast, null));
        Assert.Null(detector.Observe(key, Synthetic.Start, double.PositiveInfinity, forecast, null));
        Assert.Null(detector.Observe(key, Synthetic.Start, 1, OneStepForecast.Unavailable(key, "no model"), null));
        Assert.Null(detector.LastScored(key));
    }

    [Fact]
    public void ConsecutiveAnomaliesMergeIntoOneEventThatClosesOnReturnToNormal()
    {
        var values = Synthetic.Seasonal(800, seed: 5);
        for (var i = 600; i < 604; i++)
        {
            values[i] += 25;
        }

        var changes = Run(values, new DetectionOptions { Events = { CoolDown = TimeSpan.Zero } })
            .Where(p => p.Change is not null).Select(p => p.Change!).ToArray();

        var opened = Assert.Single(changes, c => c.Kind == EventChangeKind.Opened);
        var closed = Assert.Single(changes, c => c.Kind == EventChangeKind.Closed);
        Assert.Equal(Synthetic.Start + Synthetic.Step * 600, opened.Event.Start);
        Assert.True(closed.Event.End >= Synthetic.Start + Synthetic.Step * 603);
        Assert.False(closed.Event.Open);
        Assert.True(closed.Event.Points >= 4);
        Assert.InRange(closed.Event.Value, closed.Event.BandUpper, double.MaxValue);
        Assert.Equal(AnomalyDirection.Up, closed.Event.Direction);
    }

    [Fact]
    public void RepeatWithinCoolDownReopensTheSameEvent()
    {
        var values = Synthetic.Seasonal(800, seed: 6);
        values[600] += 25;
        values[610] += 25;

        var coolDown = Run(values, new DetectionOptions { Events = { CoolDown = TimeSpan.FromHours(2) } });
        var noCoolDown = Run(values, new DetectionOptions { Events = { CoolDown = TimeSpan.Zero } });

        Assert.Single(coolDown, p => p.Change?.Kind == EventChangeKind.Opened);
        Assert.Equal(2, noCoolDown.Count(p => p.Change?.Kind == EventChangeKind.Opened));
    }

    [Fact]
    public void BurstOfModerateDeviationsAlarmsThroughTheSustainedWindowThoughNoPointAloneDoes()
    {
        var values = Synthetic.Seasonal(800, seed: 5);
        for (var i = 600; i < 606; i++)
        {
            values[i] += i % 2 == 0 ? 4.5 : -4.5;
        }

        var withSustained = Run(values, new DetectionOptions());
        var pointOnly = Run(values, new DetectionOptions { Sustained = { Window = 0 } });

        Assert.Contains(withSustained, p => p.Index is >= 600 and < 606 && p.Point.Anomalous);
        Assert.DoesNotContain(pointOnly, p => p.Index is >= 600 and < 606 && p.Point.Anomalous);
        Assert.DoesNotContain(withSustained, p => p.Index is >= 200 and < 600 && p.Point.Anomalous);
    }

    [Fact]
    public void DailyRecurringSpikeStopsAlarmingOnceSeenOnTheLastDaysButANewOneStillAlarms()
    {
        const int day = 288;
        var values = Synthetic.Seasonal(7 * day, seed: 7);
        var nightly = Enumerable.Range(0, 7).Select(d => d * day + 36 + d % 3).ToArray();
        foreach (var i in nightly)
        {
            values[i] += 25;
        }
        values[5 * day + 180] += 25;
        var flagged = Run(values, new DetectionOptions { DeviationMemory = { Points = 0 } }).Where(p => p.Point.Anomalous).Select(p => p.Index).ToHashSet();
        var without = Run(values, new DetectionOptions { Recurrence = { Lookback = TimeSpan.Zero }, DeviationMemory = { Points = 0 } })
            .Where(p => p.Point.Anomalous).Select(p => p.Index).ToHashSet();

        Assert.Contains(nightly[1], flagged);
        Assert.Contains(nightly[2], flagged);
        Assert.DoesNotContain(nightly[3], flagged);
        Assert.DoesNotContain(nightly[6], flagged);
        Assert.Contains(5 * day + 180, flagged);
        Assert.All(nightly.Skip(1), i => Assert.Contains(i, without));
    }

    [Fact]
    public void ASpikeOfASizeTheSeriesAlreadyMadeStopsAlarmingButALargerOneStillAlarms()
    {
        var values = Synthetic.Seasonal(1300, seed: 8);
        var sameSize = new[] { 500, 500 + 9 * Period, 500 + 17 * Period };
        foreach (var i in sameSize)
        {
            values[i] += 10;
        }
        var larger = 500 + 25 * Period;
        values[larger] += 30;

        var flagged = Run(values, new DetectionOptions()).Where(p => p.Point.Anomalous).Select(p => p.Index).ToHashSet();
        var withoutMemory = Run(values, new DetectionOptions { DeviationMemory = { Points = 0 } })
            .Where(p => p.Point.Anomalous).Select(p => p.Index).ToHashSet();

        Assert.Contains(sameSize[0], flagged);
        Assert.DoesNotContain(sameSize[1], flagged);
        Assert.DoesNotContain(sameSize[2], flagged);
        Assert.Contains(larger, flagged);
        Assert.All(sameSize, i => Assert.Contains(i, withoutMemory));
    }

    [Fact]
    public void TheFallBackFromASpikeOfAKnownSizeIsExcusedButADropBelowWhereTheSpikeStartedAlarms()
    {
        var random = new Random(11);
        var values = Enumerable.Range(0, 1600).Select(_ => (double)random.Next(10, 13)).ToArray();
        // Spikes from the lowest level, of jittered heights, never at the same time of day: the memory knows each
        // spike's size, but every fall back starts from a spike top it has not seen.
        var heights = new[] { 20.0, 25, 22, 28, 24 };
        var spikes = heights.Select((_, k) => 500 + 170 * k).ToArray();
        for (var k = 0; k < spikes.Length; k++)
        {
            (values[spikes[k] - 1], values[spikes[k]], values[spikes[k] + 1]) = (10, 10 + heights[k], 10);
        }
        var drop = spikes[^1] + 170;
        (values[drop - 1], values[drop], values[drop + 1]) = (10, 36, 0);

        var points = RunNaive(values).ToDictionary(p => p.Index, p => p.Point);

        Assert.True(points[spikes[0]].Anomalous);
        Assert.All(spikes.Skip(1), i => Assert.False(points[i].Anomalous, $"spike at {i}"));
        Assert.All(spikes.Skip(1), i => Assert.False(points[i + 1].Anomalous, $"fall back at {i + 1}"));
        Assert.False(points[drop].Anomalous);
        Assert.True(points[drop + 1].Anomalous);
    }

    [Fact]
    public void ASpikeAlarmsAfterTheNoiseRoseThoughTheRiseScoredTensOfScalesWhileTheScaleFollowed()
    {
        var random = new Random(12);
        var quietUntil = 600;
        var values = Enumerable.Range(0, 1200)
            .Select(i => 33.3 + (random.NextDouble() - 0.5) * (i < quietUntil ? 0.04 : 3))
            .ToArray();
        var spike = 1100;
        values[spike] = 42.3;

        var points = RunNaive(values, residualScale: 0.02).ToDictionary(p => p.Index, p => p.Point);

        var whileTheScaleFollowed = Enumerable.Range(quietUntil, 100).Count(i => Math.Abs(points[i].Score) > 10);
        Assert.True(whileTheScaleFollowed > 50, $"{whileTheScaleFollowed} points above 10 scales as the noise rose");
        Assert.True(points[spike].Anomalous, $"spike probability {points[spike].Probability}");
        Assert.All(Enumerable.Range(quietUntil + 300, spike - quietUntil - 300), i => Assert.False(points[i].Anomalous, $"point {i}"));
    }

    [Fact]
    public void PrimedHistoryNeverAlarmsButTeachesTheSpikesItHoldsAndEndsTheWarmUp()
    {
        var values = Synthetic.Seasonal(800, seed: 9);
        const int liveFrom = 400;
        values[100] += 15;
        values[200] += 15;
        var sameSize = 100 + 28 * Period;
        values[sameSize] += 15;
        var early = 405;
        values[early] += 30;

        var primed = Run(values, new DetectionOptions(), liveFrom, prime: true);
        var cold = Run(values, new DetectionOptions(), liveFrom, prime: false);

        Assert.All(primed.Where(p => p.Index < liveFrom), p => Assert.False(p.Point.Anomalous));
        Assert.All(primed.Where(p => p.Index < liveFrom), p => Assert.Null(p.Change));
        var flagged = primed.Where(p => p.Point.Anomalous).Select(p => p.Index).ToHashSet();
        Assert.Contains(early, flagged);
        Assert.DoesNotContain(sameSize, flagged);
        Assert.DoesNotContain(cold, p => p.Index == early && p.Point.Anomalous);
        Assert.Contains(cold, p => p.Index == sameSize && p.Point.Anomalous);
    }

    [Fact]
    public void PrimingScoresHistoryAgainstTheForecastsAnchor()
    {
        var detector = DetectionExtensions.CreateDetector(new DetectionOptions(), ConfiguredThresholds.Instance, TimeProvider.System);
        var key = Synthetic.Key();
        var values = Synthetic.Seasonal(100, seed: 10);
        ScoredPoint? last = null;
        for (var i = 1; i < values.Length; i++)
        {
            var forecast = new OneStepForecast(key, true, values[i] + 50, 1, null) { Anchor = values[i - 1] };
            last = detector.Prime(key, Synthetic.Start + Synthetic.Step * i, values[i], forecast, null) ?? last;
        }

        Assert.NotNull(last);
        Assert.Equal(values[^2], last.Forecast);
        Assert.False(last.Scored);
    }

    [Theory]
    [InlineData(12, true)]
    [InlineData(0, false)]
    public void ASeriesStuckAtOneValueLongerThanItEverWasAlarmsThoughItsForecastFollowsIt(int flatlineMinPoints, bool alarms)
    {
        var random = new Random(11);
        var values = Enumerable.Range(0, 600).Select(_ => Math.Round(50 + 2 * random.NextDouble(), 1)).ToArray();
        const int stuckFrom = 500;
        Array.Fill(values, values[stuckFrom], stuckFrom, 60);
        var detector = DetectionExtensions.CreateDetector(new DetectionOptions { Flatline = { MinPoints = flatlineMinPoints, MemoryPoints = 400 } }, ConfiguredThresholds.Instance, TimeProvider.System);
        var key = Synthetic.Key();

        var flagged = new List<int>();
        for (var i = 1; i < values.Length; i++)
        {
            var naive = new OneStepForecast(key, true, values[i - 1], 0.6, null);
            if (detector.Observe(key, Synthetic.Start + Synthetic.Step * i, values[i], naive, null) is { Point.Anomalous: true })
            {
                flagged.Add(i);
            }
        }

        Assert.Equal(alarms, flagged.Contains(stuckFrom + 59));
        Assert.DoesNotContain(flagged, i => i < stuckFrom + flatlineMinPoints);
    }

    /// <summary>Scores every point against the previous value (the naive forecast, scale 1), as an aperiodic series' anchor does.</summary>
    internal static List<(int Index, ScoredPoint Point)> RunNaive(double[] values, double residualScale = 1)
    {
        var detector = DetectionExtensions.CreateDetector(new DetectionOptions(), ConfiguredThresholds.Instance, TimeProvider.System);
        var key = Synthetic.Key();
        var results = new List<(int, ScoredPoint)>();
        for (var i = 1; i < values.Length; i++)
        {
            var forecast = new OneStepForecast(key, true, values[i - 1], residualScale, null);
            if (detector.Observe(key, Synthetic.Start + Synthetic.Step * i, values[i], forecast, "c1") is { } result)
            {
                results.Add((i, result.Point));
            }
        }
        return results;
    }

    internal static List<(int Index, ScoredPoint Point, EventChange? Change)> Run(double[] values, DetectionOptions options, int liveFrom = Period, bool prime = false)
    {
        var detector = DetectionExtensions.CreateDetector(options, ConfiguredThresholds.Instance, TimeProvider.System);
        var forecaster = new SeasonalMedianForecaster(Period);
        var key = Synthetic.Key();
        forecaster.Models.Add(key);
        var results = new List<(int, ScoredPoint, EventChange?)>();
        for (var i = prime ? Period : liveFrom; i < values.Length; i++)
        {
            var history = new SeriesWindow(key, Synthetic.Start + Synthetic.Step * Math.Max(0, i - 200), Synthetic.Step, values[Math.Max(0, i - 200)..i]);
            var target = Synthetic.Start + Synthetic.Step * i;
            var forecast = forecaster.ForecastNext([new OneStepRequest(key, history, target)])[0];
            if (i < liveFrom)
            {
                if (detector.Prime(key, target, values[i], forecast, "c1") is { } primed)
                {
                    results.Add((i, primed, null));
                }
            }
            else if (detector.Observe(key, target, values[i], forecast, "c1") is { } result)
            {
                results.Add((i, result.Point, result.Change));
            }
        }
        return results;
    }
}
