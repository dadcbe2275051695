using MetaAnomaly.Detection.Extensions;
using MetaAnomaly.Detection.PostRules;
using MetaAnomaly.Detection.Rules;
using MetaAnomaly.Detection.Tests.Scoring;
using MetaAnomaly.Detection.Tests.Support;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MetaAnomaly.Detection.Tests.PostRules;

public sealed class PostRulePipelineTests
{
    [Fact]
    public void AddDetectionRegistersThePostRulesInPipelineOrder()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddDetection();
        builder.Services.AddSingleton<IThresholdSource>(ConfiguredThresholds.Instance);
        using var provider = builder.Services.BuildServiceProvider();

        var rules = provider.GetServices<IPostRuleFactory>().Select(f => f.Create(SeriesKey.Parse("cpu#usage"))?.GetType()).ToArray();

        Assert.Equal(
            [typeof(RecurrenceRule), typeof(DeviationMemoryRule), typeof(ExcusedReturnRule), typeof(PointCalibrationRule),
             typeof(SustainedRule), typeof(FlatlineRule), typeof(WarmupRule), typeof(AlarmRules)],
            rules);
    }

    [Fact]
    public void EveryScoredPointSaysWhatRaisedOrExcusedIt()
    {
        const int period = 24;
        var values = Synthetic.Seasonal(1000, seed: 8);
        var sameSize = new[] { 500, 500 + 9 * period };
        foreach (var i in sameSize)
        {
            values[i] += 10;
        }

        var points = AnomalyDetectorTests.Run(values, new DetectionOptions()).ToDictionary(p => p.Index, p => p.Point);

        var first = points[sameSize[0]];
        Assert.True(first.Anomalous);
        Assert.StartsWith("residual ", first.Reason);
        Assert.Contains("no deviation of this size from this forecast in the last 2016 points", first.Reason);
        Assert.Contains("rule 'default' fired", first.Reason);
        var again = points[sameSize[1]];
        Assert.False(again.Anomalous);
        Assert.Contains("excused: the deviation memory saw a deviation of this size", again.Reason);
        Assert.Contains("warm-up", points[period].Reason);
    }
}
