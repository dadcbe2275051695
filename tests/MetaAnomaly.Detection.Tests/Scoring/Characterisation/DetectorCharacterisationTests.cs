using System.Globalization;
using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Extensions;
using MetaAnomaly.Detection.Rules;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Tests.Support;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Detection.Tests.Scoring.Characterisation;

/// <summary>
/// Pins the detector's output on seeded synthetic series (spikes, spikes of a size seen before, a level shift, a
/// flatline, a nightly recurring spike, primed history) to what it was before the post-rules were split out of one
/// method: the recorded surprise and score of every point (to 1e-12) and every verdict. The recordings were made by the
/// detector of commit bef0e27; a change to the scores is a change to these files, made on purpose.
/// </summary>
public sealed class DetectorCharacterisationTests
{
    private const int Day = 288;
    private const int Period = 24;
    private const int LiveFrom = 300;

    [Fact]
    public void SeasonalSeriesScoresAsRecorded() =>
        AssertAsRecorded("seasonal.txt", Record(SeasonalRun()));

    [Fact]
    public void NaiveForecastWithTwoAlarmRulesScoresAsRecorded() =>
        AssertAsRecorded("naive.txt", Record(NaiveRun()));

    internal static double[] SeasonalSeries()
    {
        var values = Synthetic.Seasonal(6 * Day, seed: 21);
        values[400] += 15;
        values[700] -= 12;
        foreach (var i in new[] { 500, 500 + 9 * Period, 500 + 17 * Period, 500 + 30 * Period })
        {
            values[i] += 10;
        }
        for (var i = 900; i < 960; i++)
        {
            values[i] += 8;
        }
        for (var d = 0; d < 6; d++)
        {
            values[d * Day + 36 + d % 3] += 25;
        }
        Array.Fill(values, values[1200], 1200, 60);
        return values;
    }

    /// <summary>Levels 10-12 with spikes of known sizes and their fall backs, a drop, a level shift and a flatline.</summary>
    internal static double[] LevelSeries()
    {
        var random = new Random(22);
        var values = Enumerable.Range(0, 6 * Day).Select(_ => (double)random.Next(10, 13)).ToArray();
        var heights = new[] { 20.0, 25, 22, 28, 24, 21 };
        for (var k = 0; k < heights.Length; k++)
        {
            var spike = 500 + 130 * k;
            (values[spike - 1], values[spike], values[spike + 1]) = (10, 10 + heights[k], 10);
        }
        (values[1349], values[1350], values[1351]) = (10, 36, 0);
        for (var i = 1400; i < 1440; i++)
        {
            values[i] += 6;
        }
        Array.Fill(values, 11, 1500, 60);
        return values;
    }

    internal static IEnumerable<(int Index, ScoredPoint Point)> SeasonalRun()
    {
        var values = SeasonalSeries();
        var detector = DetectionExtensions.CreateDetector(new DetectionOptions(), ConfiguredThresholds.Instance, TimeProvider.System);
        var forecaster = new SeasonalMedianForecaster(Period);
        var key = Synthetic.Key();
        forecaster.Models.Add(key);
        for (var i = Period; i < values.Length; i++)
        {
            var from = Math.Max(0, i - 200);
            var history = new SeriesWindow(key, Synthetic.Start + Synthetic.Step * from, Synthetic.Step, values[from..i]);
            var target = Synthetic.Start + Synthetic.Step * i;
            var forecast = forecaster.ForecastNext([new OneStepRequest(key, history, target)])[0];
            var point = i < LiveFrom
                ? detector.Prime(key, target, values[i], forecast with { Anchor = values[i - Period] }, "c1")
                : detector.Observe(key, target, values[i], forecast, "c1")?.Point;
            if (point is not null)
            {
                yield return (i, point);
            }
        }
    }

    internal static IEnumerable<(int Index, ScoredPoint Point)> NaiveRun()
    {
        var values = LevelSeries();
        var options = new DetectionOptions
        {
            Flatline = { MemoryPoints = 400 },
            Rules =
            [
                new AlarmRuleOptions { Name = "rises", Direction = AnomalyDirection.Up, MinDuration = 3, Threshold = 0.999 },
                new AlarmRuleOptions(),
            ],
        };
        var detector = DetectionExtensions.CreateDetector(options, ConfiguredThresholds.Instance, TimeProvider.System);
        var key = Synthetic.Key();
        for (var i = 1; i < values.Length; i++)
        {
            var forecast = new OneStepForecast(key, true, values[i - 1], 1, null);
            if (detector.Observe(key, Synthetic.Start + Synthetic.Step * i, values[i], forecast, "c1") is { } result)
            {
                yield return (i, result.Point);
            }
        }
    }

    internal static IEnumerable<string> Record(IEnumerable<(int Index, ScoredPoint Point)> points) =>
        points.Select(p => string.Join(' ',
            p.Index.ToString(CultureInfo.InvariantCulture), p.Point.Surprise.ToString("R", CultureInfo.InvariantCulture),
            p.Point.Score.ToString("R", CultureInfo.InvariantCulture), p.Point.Scored ? "scored" : "warmup",
            p.Point.Anomalous ? p.Point.Rule : "normal"));

    private static void AssertAsRecorded(string name, IEnumerable<string> actual)
    {
        using var stream = typeof(DetectorCharacterisationTests).Assembly.GetManifestResourceStream($"Characterisation.{name}")
            ?? throw new InvalidOperationException($"recording {name} is not embedded");
        using var reader = new StreamReader(stream);
        var expected = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var lines = actual.ToArray();
        Assert.Equal(expected.Length, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var (want, got) = (expected[i].Split(' '), lines[i].Split(' '));
            Assert.Equal(want[0], got[0]);
            Assert.Equal(double.Parse(want[1], CultureInfo.InvariantCulture), double.Parse(got[1], CultureInfo.InvariantCulture), 1e-12);
            Assert.Equal(double.Parse(want[2], CultureInfo.InvariantCulture), double.Parse(got[2], CultureInfo.InvariantCulture), 1e-12);
            Assert.Equal(want[3..], got[3..]);
        }
    }
}
