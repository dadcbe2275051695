using MetaAnomaly.Forecasting.Clustering;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.Tests.Clustering;

public sealed class PeriodClustererTests
{
    private readonly PeriodClusterer _clusterer = new();

    [Fact]
    public void SeriesOfOnePeriodAndTwoShapesFormTwoClusters()
    {
        var members = Shapes(24, "day", 6, phaseShift: 0).Concat(Shapes(24, "night", 6, phaseShift: Math.PI)).ToArray();
        var clusters = _clusterer.Cluster(members);
        Assert.Equal(2, clusters.Count);
        Assert.All(clusters, c => Assert.Single(c.Members.Select(k => k.Measurement).Distinct()));
        Assert.Equal(["p24-a", "p24-b"], clusters.Select(c => c.Id));
    }

    [Fact]
    public void DifferentPeriodsNeverShareACluster()
    {
        var members = Shapes(24, "hourly", 4, 0).Concat(Shapes(288, "fine", 4, 0)).Append(new ClusterMember(Key("noise", 0), 0, [])).ToArray();
        var clusters = _clusterer.Cluster(members);
        Assert.Equal([0, 24, 288], clusters.Select(c => c.Period));
        Assert.Equal("aperiodic-a", clusters[0].Id);
    }

    [Fact]
    public void SimilarShapesStayOneCluster()
    {
        var clusters = _clusterer.Cluster(Shapes(12, "same", 8, 0).ToArray());
        Assert.Single(clusters);
    }

    [Fact]
    public void ASingleSeriesIsItsOwnCluster()
    {
        var clusters = _clusterer.Cluster(Shapes(48, "lonely", 1, 0).ToArray());
        Assert.Equal("p48-a", Assert.Single(clusters).Id);
    }

    [Fact]
    public void IdsStayStableWhenReclustered()
    {
        var day = Shapes(24, "day", 6, 0);
        var night = Shapes(24, "night", 6, Math.PI);
        var first = _clusterer.Cluster(night.Concat(day).ToArray());
        var nightId = first.Single(c => c.Members[0].Measurement == "night").Id;

        var second = _clusterer.Cluster(day.Take(3).Concat(night).Concat(Shapes(24, "day2", 4, 0.1)).ToArray(), first);

        Assert.Equal(nightId, second.Single(c => c.Members.Any(k => k.Measurement == "night")).Id);
    }

    [Fact]
    public void NewSeriesJoinTheNearestClusterOfTheirPeriod()
    {
        var clusters = _clusterer.Cluster(Shapes(24, "day", 5, 0).Concat(Shapes(24, "night", 5, Math.PI)).ToArray());
        var newcomer = Shapes(24, "late", 1, Math.PI + 0.2).Single();
        var joined = _clusterer.Join(clusters, [newcomer, new ClusterMember(Key("odd", 1), 7, Profile(7, 0))]);

        var night = joined.Single(c => c.Members.Any(k => k.Measurement == "night"));
        Assert.Contains(newcomer.Key, night.Members);
        Assert.Equal(clusters.Select(c => c.Id).Append("p7-a").Order(), joined.Select(c => c.Id).Order());
    }

    [Fact]
    public void DescriptionNamesPeriodSizeAndPeak()
    {
        var cluster = Assert.Single(_clusterer.Cluster(Shapes(24, "day", 3, 0).ToArray()));
        var text = cluster.Description(TimeSpan.FromHours(1));
        Assert.Contains("24 slots (1 day)", text);
        Assert.Contains("3 series", text);
        Assert.Contains("peak at phase 6 (+6 h)", text);
    }

    [Fact]
    public void ProfileIsTheNormalisedMeanPerPhase()
    {
        var values = Enumerable.Range(0, 40).Select(i => i % 4 == 1 ? 10.0 : 2.0).ToArray();
        values[5] = double.NaN;
        var profile = SeasonalProfile.Compute(values, phaseOrigin: 3, period: 4);
        Assert.Equal(4, profile.Length);
        Assert.Equal(0, Array.IndexOf(profile, profile.Max()));
        Assert.Equal(0, profile.Average(), 9);
    }

    private static IEnumerable<ClusterMember> Shapes(int period, string name, int count, double phaseShift)
    {
        var random = new Random(name.Length * 31 + count);
        for (var i = 0; i < count; i++)
        {
            var profile = Profile(period, phaseShift).Select(v => v + 0.1 * SyntheticTasks.NextGaussian(random)).ToArray();
            yield return new ClusterMember(Key(name, i), period, profile);
        }
    }

    private static double[] Profile(int period, double shift) =>
        Enumerable.Range(0, period).Select(p => Math.Sqrt(2) * Math.Sin(2 * Math.PI * p / period + shift)).ToArray();

    private static SeriesKey Key(string measurement, int host) => new(measurement, [new("host", $"h{host}")], "value");
}
