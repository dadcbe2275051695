using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.Clustering;

/// <summary>What clustering needs of one series: its period (0 aperiodic) and seasonal profile.</summary>
public sealed record ClusterMember(SeriesKey Key, int Period, IReadOnlyList<double> Profile);

/// <summary>One cluster: members of one period around a medoid profile.</summary>
/// <param name="Id">Stable id, <c>p{period}-{letter}</c> or <c>aperiodic-{letter}</c>.</param>
public sealed record SeriesCluster(string Id, int Period, IReadOnlyList<double> Medoid, IReadOnlyList<SeriesKey> Members)
{
    public string Description(TimeSpan? step) => ClusterDescription.Describe(this, step);
}
