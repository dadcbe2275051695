using MetaAnomaly.Forecasting.Episodes;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Episodes;

public sealed class EpisodeBuilderTests
{
    private static readonly EpisodeLayout Layout = new(Lags: 3, Period: 4, SupportSize: 4, QuerySize: 2);

    [Fact]
    public void SupportAndQueryFollowEachOtherNormalisedBySupportStatistics()
    {
        var values = Enumerable.Range(0, 20).Select(i => 10.0 + i).ToArray();
        using var episode = EpisodeBuilder.Build([new TaskCut(new SeriesSegment(values, 0), 5)], Layout with { Anchored = false }, CPU);
        var norm = episode.Normalisations[0];
        var expected = TaskNormalisation.FromObserved(values.AsSpan(2, 7));
        Assert.Equal(expected, norm);

        var supportTargets = episode.Batch.Support.Targets.data<float>().ToArray();
        var queryTargets = episode.Batch.Query.Targets.data<float>().ToArray();
        Assert.Equal(new[] { 15.0, 16, 17, 18 }, supportTargets.Select(v => Math.Round(norm.Denormalise(v), 4)));
        Assert.Equal(new[] { 19.0, 20 }, queryTargets.Select(v => Math.Round(norm.Denormalise(v), 4)));
        var firstInputs = episode.Batch.Support.Inputs[0, 0].data<float>().ToArray();
        Assert.Equal(new[] { 12.0, 13, 14 }, firstInputs.Take(3).Select(v => Math.Round(norm.Denormalise(v), 4)));
        Assert.Equal(Math.Sin(2 * Math.PI * 1 / 4), firstInputs[3], 5);
    }

    [Fact]
    public void AnchoredTargetsAreDeviationsFromTheValueOnePeriodEarlier()
    {
        var values = Enumerable.Range(0, 20).Select(i => 10.0 + i * i).ToArray();
        using var episode = EpisodeBuilder.Build([new TaskCut(new SeriesSegment(values, 0), 5)], Layout, CPU);
        var norm = episode.Normalisations[0];

        var inputs = episode.Batch.Support.Inputs.data<float>().ToArray();
        var targets = episode.Batch.Support.Targets.data<float>().ToArray();
        for (var n = 0; n < Layout.SupportSize; n++)
        {
            var row = inputs.AsSpan(n * Layout.InputSize, Layout.InputSize);
            var target = 5 + n;
            Assert.Equal(values[target - Layout.Period], norm.Denormalise(EpisodeBuilder.AnchorOf(row, Layout)), 3);
            Assert.Equal(values[target], norm.Denormalise(targets[n] + EpisodeBuilder.AnchorOf(row, Layout)), 3);
        }
        Assert.Equal(Layout.Lags + 1 + EpisodeLayout.PhaseFeatures, Layout.InputSize);
    }

    [Fact]
    public void DirectQueriesAllStartFromTheSupportsEndWithTheirHorizonAndLatestObservedAnchor()
    {
        var layout = Layout with { Direct = true, QuerySize = 6 };
        var values = Enumerable.Range(0, 20).Select(i => 10.0 + i * i).ToArray();
        using var episode = EpisodeBuilder.Build([new TaskCut(new SeriesSegment(values, 0), 5)], layout, CPU);
        var norm = episode.Normalisations[0];
        var inputs = episode.Batch.Query.Inputs.data<float>().ToArray();
        var targets = episode.Batch.Query.Targets.data<float>().ToArray();
        var origin = 5 + layout.SupportSize - 1;

        for (var n = 0; n < layout.QuerySize; n++)
        {
            var row = inputs.AsSpan(n * layout.InputSize, layout.InputSize);
            var h = n + 1;
            Assert.Equal(values[(origin - layout.Lags + 1)..(origin + 1)], row[..layout.Lags].ToArray().Select(v => Math.Round(norm.Denormalise(v), 3)));
            Assert.Equal(layout.HorizonFeature(h), row[layout.HorizonIndex]);
            var anchor = origin + h - layout.Period * ((h + layout.Period - 1) / layout.Period);
            Assert.True(anchor <= origin);
            Assert.Equal(values[anchor], norm.Denormalise(EpisodeBuilder.AnchorOf(row, layout)), 3);
            Assert.Equal(values[origin + h], norm.Denormalise(targets[n] + EpisodeBuilder.AnchorOf(row, layout)), 3);
        }
    }

    [Fact]
    public void AnAnchorInAGapMasksThePair()
    {
        var values = Enumerable.Range(0, 20).Select(i => (double)(i % 4)).ToArray();
        values[2] = double.NaN;
        using var episode = EpisodeBuilder.Build([new TaskCut(new SeriesSegment(values, 0), 6)], Layout, CPU);

        Assert.Equal(new float[] { 0, 1, 1, 1 }, episode.Batch.Support.Mask.data<float>().ToArray());
    }

    [Fact]
    public void AperiodicLayoutsAnchorOnThePreviousValue()
    {
        var layout = Layout with { Period = 0 };
        var values = Enumerable.Range(0, 20).Select(i => 3.0 * i).ToArray();
        using var episode = EpisodeBuilder.Build([new TaskCut(new SeriesSegment(values, 0), 5)], layout, CPU);
        var norm = episode.Normalisations[0];

        var targets = episode.Batch.Support.Targets.data<float>().ToArray();
        Assert.All(targets, t => Assert.Equal(3.0, t * norm.Scale, 3));
        Assert.Equal(layout.Lags, layout.Reach);
    }

    [Fact]
    public void GapsAreMaskedNotInvented()
    {
        var values = Enumerable.Range(0, 20).Select(i => (double)(i % 4)).ToArray();
        values[6] = double.NaN;
        using var episode = EpisodeBuilder.Build([new TaskCut(new SeriesSegment(values, 0), 5)], Layout, CPU);
        var mask = episode.Batch.Support.Mask.data<float>().ToArray();
        Assert.Equal(new float[] { 1, 0, 0, 0 }, mask);
        Assert.Equal(0f, episode.Batch.Support.Targets[0, 1].item<float>());
    }

    [Fact]
    public void AConstantSeriesNormalisesToZeroWithUnitScale()
    {
        var norm = TaskNormalisation.FromObserved(Enumerable.Repeat(7.0, 10).ToArray());
        Assert.Equal(new TaskNormalisation(7, 1), norm);
    }

    [Fact]
    public void ScaleIsRobustToASpike()
    {
        var values = Enumerable.Range(0, 50).Select(i => (double)(i % 5)).ToArray();
        var calm = TaskNormalisation.FromObserved(values).Scale;
        values[10] = 1e6;
        Assert.Equal(calm, TaskNormalisation.FromObserved(values).Scale, 6);
    }

    [Fact]
    public void AForecastAfterALevelShiftBeyondTheClipFollowsTheRawAnchor()
    {
        var values = Enumerable.Range(0, 12).Select(i => i < 8 ? 40.0 + i % 2 : 100.0).ToArray();
        var segment = new SeriesSegment(values, 0);
        var calm = TaskNormalisation.FromObserved(values.AsSpan(0, 8));
        var inputs = new float[Layout.InputSize];
        EpisodeBuilder.FillInputs(inputs, segment, 12, Layout, calm);

        Assert.Equal((float)TaskNormalisation.Clip, EpisodeBuilder.AnchorOf(inputs, Layout));
        Assert.Equal(100.0 + 0.5 * calm.Scale, EpisodeBuilder.ToSeriesUnits(0.5f, segment, 12, Layout, calm), 6);
        Assert.Equal(calm.Denormalise(0.5), EpisodeBuilder.ToSeriesUnits(0.5f, segment, 12, Layout with { Anchored = false }, calm), 6);
        values[8] = double.NaN;
        Assert.Equal(calm.Denormalise(0.5), EpisodeBuilder.ToSeriesUnits(0.5f, segment, 12, Layout, calm), 6);
    }
}
