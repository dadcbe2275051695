using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Optimization;
using MetaAnomaly.Forecasting.Serving;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Serving;

public sealed class ChunkAdaptationTests
{
    private static readonly EpisodeLayout Layout = new(Lags: 4, Period: 6, SupportSize: 6, QuerySize: 0);

    [Fact]
    public void AnchoredZeroDeviationRollsSeasonalNaive()
    {
        var values = new double[] { 1, 2, 3, 4, 5, 6, 3, 5, 7, 9, 11, 13 };
        var segment = new SeriesSegment(values, 0);
        var normalisation = TaskNormalisation.FromObserved(values);
        using var model = new ZeroBatch(1);

        var forecast = ChunkAdaptation.Roll(model, [segment], [normalisation], Layout, 14, CPU)[0];

        var lastPeriod = values[^6..];
        Assert.Equal(Enumerable.Range(0, 14).Select(h => lastPeriod[h % 6]), forecast.Select(v => Math.Round(v, 4)));
    }

    [Fact]
    public void ARolledForecastAfterALevelShiftBeyondTheClipCarriesTheNewLevel()
    {
        var values = Enumerable.Range(0, 12).Select(i => i < 6 ? 40.0 + i % 2 : 100.0 + i % 2).ToArray();
        var calm = TaskNormalisation.FromObserved(values.AsSpan(0, 6));
        using var model = new ZeroBatch(1);

        var forecast = ChunkAdaptation.Roll(model, [new SeriesSegment(values, 0)], [calm], Layout, 12, CPU)[0];

        Assert.True(calm.Normalise(100) < calm.Standardise(100), "precondition: the new level lies beyond the clip");
        Assert.Equal(Enumerable.Range(0, 12).Select(h => values[6 + h % 6]), forecast.Select(v => Math.Round(v, 3)));
    }

    [Fact]
    public void DirectZeroDeviationForecastsSeasonalNaiveToo()
    {
        var values = new double[] { 1, 2, 3, 4, 5, 6, 3, 5, 7, 9, 11, 13 };
        using var model = new ZeroBatch(1);

        var forecast = ChunkAdaptation.Roll(model, [new SeriesSegment(values, 0)], [TaskNormalisation.FromObserved(values)], Layout with { Direct = true }, 14, CPU)[0];

        Assert.Equal(Enumerable.Range(0, 14).Select(h => values[^6..][h % 6]), forecast.Select(v => Math.Round(v, 4)));
    }

    [Fact]
    public void LevelZeroOutputRollsTheNormalisationMean()
    {
        var values = Enumerable.Range(0, 12).Select(i => (double)(i % 6)).ToArray();
        var normalisation = TaskNormalisation.FromObserved(values);
        using var model = new ZeroBatch(1);

        var forecast = ChunkAdaptation.Roll(model, [new SeriesSegment(values, 0)], [normalisation], Layout with { Anchored = false }, 5, CPU)[0];

        Assert.All(forecast, v => Assert.Equal(normalisation.Mean, v, 6));
    }

    [Fact]
    public void AdaptationBringsTheRolledForecastCloserToTheNextPeriod()
    {
        var random = new Random(5);
        var series = Enumerable.Range(0, 4).Select(_ => SyntheticTasks.Seasonal(random, Layout.ServingSpan + Layout.Period, Layout.Period, noise: 0.01)).ToArray();
        var history = series.Select(s => new SeriesSegment(s.Values[..Layout.ServingSpan], 0)).ToArray();
        var settings = new LearnerSettings(Layout.InputSize, CPU, 3, [16, 16], 0.05, 10);
        using var learner = new MamlFactory().Create(settings);
        using var frozen = new MamlFactory().Create(settings with { AdaptationSteps = 0 });

        using var adapted = ChunkAdaptation.Adapt(learner, history, Layout, Layout.Period);
        using var unadapted = ChunkAdaptation.Adapt(frozen, history, Layout, Layout.Period);

        double Error(AdaptedChunk chunk) => Enumerable.Range(0, series.Length)
            .Sum(t => Enumerable.Range(0, Layout.Period).Sum(h => Math.Abs(chunk.Forecasts[t][h] - series[t].Values[Layout.ServingSpan + h])));
        Assert.True(Error(adapted) < Error(unadapted), $"adapted {Error(adapted):F4}, unadapted {Error(unadapted):F4}");
        Assert.All(Enumerable.Range(0, series.Length), t =>
            Assert.True(adapted.ResidualScales[t] >= ChunkAdaptation.MinimumResidualShare * adapted.Normalisations[t].Scale * 0.999));
    }

    [Theory]
    [InlineData("maml")]
    [InlineData("reptile")]
    [InlineData("meta-sgd")]
    public void WithoutTheInnerLoopAGradientLearnerServesItsInitialisation(string name)
    {
        var random = new Random(5);
        var history = Enumerable.Range(0, 3).Select(_ => SyntheticTasks.Seasonal(random, Layout.ServingSpan, Layout.Period, noise: 0.01)).ToArray();
        var settings = new LearnerSettings(Layout.InputSize, CPU, 3, [16, 16], 0.05, 10) { ZeroOutputLayer = false };
        var registry = MetaLearnerRegistry.CreateDefault();
        using var learner = registry.Create(name, settings);
        using var frozen = registry.Create(name, settings with { AdaptationSteps = 0 });

        using var adapted = ChunkAdaptation.Adapt(learner, history, Layout, Layout.Period);
        using var initialisation = ChunkAdaptation.Adapt(learner, history, Layout, Layout.Period, innerLoop: false);
        using var zeroSteps = ChunkAdaptation.Adapt(frozen, history, Layout, Layout.Period);

        Assert.Equal(zeroSteps.Forecasts.SelectMany(f => f), initialisation.Forecasts.SelectMany(f => f));
        Assert.Equal(zeroSteps.ResidualScales, initialisation.ResidualScales);
        Assert.NotEqual(adapted.Forecasts.SelectMany(f => f), initialisation.Forecasts.SelectMany(f => f));
    }

    [Fact]
    public void ASeriesWhoseAdaptedModelFitsItsSupportWorseThanItsAnchorServesTheAnchor()
    {
        var random = new Random(7);
        var clean = SyntheticTasks.Seasonal(random, Layout.ServingSpan, Layout.Period, noise: 0.01, maxDrift: 0);
        var drifting = SyntheticTasks.Seasonal(random, Layout.ServingSpan, Layout.Period, noise: 0.01, maxDrift: 0.5);
        using var frozen = new MamlFactory().Create(new LearnerSettings(Layout.InputSize, CPU, 3, [16, 16], 0.05, 0) { ZeroOutputLayer = false });

        using var adapted = ChunkAdaptation.Adapt(frozen, [clean, drifting], Layout, Layout.Period);

        Assert.True(adapted.ServesAnchor(0), "an untrained, unadapted model should lose to seasonal naive on a clean sine");
        var lastPeriod = clean.Values[^Layout.Period..];
        Assert.Equal(lastPeriod.Select(v => Math.Round(v, 3)), adapted.Forecasts[0].Select(v => Math.Round(v, 3)));
        using var inputs = EpisodeBuilder.BuildLatestSupport([clean, drifting], Layout, CPU).Support.Inputs;
        Assert.All(adapted.Model.Predict(inputs)[0].data<float>().ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ASeriesWhosePreviousModelWasFoundWorseOutOfSampleServesTheAnchorThoughItsNewFitWins()
    {
        var random = new Random(11);
        var drifting = Enumerable.Range(0, 2).Select(_ => SyntheticTasks.Seasonal(random, Layout.ServingSpan, Layout.Period, noise: 0.01, maxDrift: 0.5)).ToArray();
        using var learner = new MamlFactory().Create(new LearnerSettings(Layout.InputSize, CPU, 3, [16, 16], 0.05, 10));

        using var trusted = ChunkAdaptation.Adapt(learner, drifting, Layout, Layout.Period);
        using var judged = ChunkAdaptation.Adapt(learner, drifting, Layout, Layout.Period, distrusted: [false, true]);

        Assert.False(trusted.ServesAnchor(1), "precondition: the adapted model fits this drifting series better than its anchor");
        Assert.False(judged.ServesAnchor(0));
        Assert.True(judged.ServesAnchor(1));
        var lastPeriod = drifting[1].Values[^Layout.Period..];
        Assert.Equal(lastPeriod.Select(v => Math.Round(v, 3)), judged.Forecasts[1].Select(v => Math.Round(v, 3)));
    }
}
