using MetaAnomaly.Forecasting.Clustering;
using MetaAnomaly.Forecasting.Planning;
using MetaAnomaly.Forecasting.Runs;
using MetaAnomaly.Forecasting.Serving;
using MetaAnomaly.Forecasting.Training;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.ReadModel;

/// <summary>The dashboard's view of the core, read from the stages' current state; never waits for a run.</summary>
internal sealed class ForecastingReadModel(IClusterPlanner planner, IClusterTrainer trainer, SeriesStates states, RunProgress progress) : IForecastingReadModel
{
    public IReadOnlyList<ClusterSummary> Clusters() => planner.Clusters.Select(Summarise).ToArray();

    public ClusterSummary? Cluster(string clusterId) => planner.Clusters.FirstOrDefault(c => c.Id == clusterId) is { } cluster ? Summarise(cluster) : null;

    public IReadOnlyList<SeriesModelState> SeriesStates() => states.All.OrderBy(e => e.Key).Select(e => e.ToState()).ToArray();

    public SeriesModelState StateOf(SeriesKey key) => states.StateOf(key);

    public SeriesForecast? ForecastOf(SeriesKey key) => states.TryGet(key, out var entry) ? entry.Forecast : null;

    public AdaptationRunSummary? LastAdaptation => progress.LastRun;

    public DateTimeOffset? NextScheduledAdaptation => progress.NextScheduled;

    public ForecastingActivity? CurrentActivity => progress.Current;

    public IReadOnlyList<string> AvailableLearners => trainer.Learners;

    private ClusterSummary Summarise(SeriesCluster cluster)
    {
        var model = trainer.ModelOf(cluster.Id);
        var step = cluster.Members.Select(k => states.TryGet(k, out var e) ? e.Step : null).FirstOrDefault(s => s is not null);
        return new ClusterSummary(cluster.Id, cluster.Period, cluster.Members, model?.Record?.Learner ?? model?.Learner.Name,
            model?.Record?.Version, model?.ValidationError, model?.Record?.CreatedAt, cluster.Medoid, cluster.Description(step));
    }
}
