using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Shared.Forecasts;
using static MetaAnomaly.Forecasting.Tests.Serving.CoreTestBed;

namespace MetaAnomaly.Forecasting.Tests.Serving;

/// <summary>
/// Every registered learner through the real serving path (meta-training, the daily adaptation, one-step forecasts
/// from the adapted batch): selecting any of them must leave every series of its cluster served.
/// </summary>
public sealed class EveryLearnerServesTests
{
    public static TheoryData<string> Names => new(MetaLearnerRegistry.CreateDefault().Names);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task TheSelectedLearnerAdaptsAndServesEverySeriesOfItsCluster(string name)
    {
        using var bed = new CoreTestBed(o => o.Learner = name);
        using var core = bed.Create();

        var run = await core.Runs.CatchUpAsync(CancellationToken.None);

        Assert.Empty(run.Errors);
        Assert.Equal(6, run.SeriesAdapted);
        Assert.Equal(name, Assert.Single(core.ReadModel.Clusters()).Learner);
        var clustered = bed.Windows.Where(w => w.Key != Key("short")).ToArray();
        var forecasts = core.Forecaster.ForecastNext(clustered.Select(w => new OneStepRequest(w.Key, w, w.End + w.Step)).ToArray());
        Assert.All(forecasts, f => Assert.True(f.Available && double.IsFinite(f.Value) && f.ResidualScale > 0, $"{name}: {f}"));
    }
}
