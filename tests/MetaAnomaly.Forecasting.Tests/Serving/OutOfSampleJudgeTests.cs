using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Serving;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Serving;

public sealed class OutOfSampleJudgeTests
{
    private static readonly EpisodeLayout Layout = new(Lags: 4, Period: 6, SupportSize: 12, QuerySize: 0);

    /// <summary>Three periods of a daily-like shape whose level rises by 1 each period: one period earlier is always 1 low.</summary>
    private static readonly SeriesSegment Rising = new(Enumerable.Range(0, 18).Select(i => (double)(i % 6 + i / 6)).ToArray(), 0);

    [Fact]
    public void ModelThatForecastsTheRiseBeatsItsAnchorWhileNoCorrectionOrAnOvershootLoses()
    {
        using var model = new ConstantCorrections(1f, 0f, 3f);
        JudgedSeries[] series = [.. Enumerable.Range(0, 3).Select(t => new JudgedSeries(t, Rising, 12, TaskNormalisation.Identity))];

        var lost = OutOfSampleJudge.ModelLost(model, series, Layout, CPU);

        Assert.Equal([false, true, true], lost);
    }

    [Fact]
    public void OnlyThePointsThatArrivedAfterTheAdaptationAreJudged()
    {
        var values = Enumerable.Range(0, 18).Select(i => (double)(i % 6 + (i >= 12 ? 1 : 0))).ToArray();
        var stepUp = new SeriesSegment(values, 0);
        using var model = new ConstantCorrections(1f, 1f);

        var lost = OutOfSampleJudge.ModelLost(model,
            [new JudgedSeries(0, stepUp, 12, TaskNormalisation.Identity), new JudgedSeries(1, stepUp, 6, TaskNormalisation.Identity)], Layout, CPU);

        Assert.Equal([false, true], lost);
    }

    [Fact]
    public void SeriesWithNoObservedPointSinceTheAdaptationIsNotJudgedLost()
    {
        var values = Rising.Values.ToArray();
        Array.Fill(values, double.NaN, 12, 6);
        using var model = new ConstantCorrections(3f);

        var lost = OutOfSampleJudge.ModelLost(model, [new JudgedSeries(0, new SeriesSegment(values, 0), 12, TaskNormalisation.Identity)], Layout, CPU);

        Assert.Equal([false], lost);
    }

    /// <summary>An adapted batch whose task t always outputs corrections[t] (normalised units, added to the anchor).</summary>
    private sealed class ConstantCorrections(params float[] corrections) : IAdaptedBatch
    {
        public int TaskCount => corrections.Length;

        public Tensor Predict(Tensor queryInputs) =>
            tensor(corrections, [corrections.Length, 1]).expand(queryInputs.shape[0], queryInputs.shape[1]).contiguous();

        public AdaptedTaskState Slice(int task) => new("constant", []);

        public void Dispose()
        {
        }
    }
}
