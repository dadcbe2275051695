using MetaAnomaly.Forecasting.Clustering;
using MetaAnomaly.Forecasting.Engine;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Periods;
using MetaAnomaly.Forecasting.Runs;
using MetaAnomaly.Forecasting.Serving;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.Planning;

/// <summary>
/// Detects each series' period (kept only when, over a period ahead, the value one period earlier forecasts better than
/// the last value carried forward),
/// computes its seasonal profile and clusters the series: a full re-clustering with stable ids on a full run, the
/// newcomers joining the nearest cluster on a catch-up. A series with too little history to join a cluster stays
/// warming up, with the reason; with <c>Forecasting:ColdStart</c> it is in cold start meanwhile once it has one
/// aperiodic support of points. A series whose examination fails fails alone.
/// </summary>
internal sealed class ClusterPlanner(
    ISeriesBuffers buffers,
    IEnumerable<IAdaptationMask> masks,
    ForecastingSetup setup,
    SeriesStates states,
    RunProgress progress) : IClusterPlanner
{
    private readonly IAdaptationMask? _mask = masks.FirstOrDefault();
    private readonly PeriodDetector _periods = new(setup.Options.MaxPeriod);
    private readonly PeriodClusterer _clusterer = new();
    private volatile IReadOnlyList<SeriesCluster> _clusters = [];
    private volatile IReadOnlyList<SeriesKey> _coldStart = [];

    public IReadOnlyList<SeriesCluster> Clusters => _clusters;

    public RunPlan Plan(RunKind kind, string? clusterId, CancellationToken cancellationToken)
    {
        var histories = new SeriesHistories(buffers, setup.Options.HistoryLength, _mask);
        if (kind is RunKind.CatchUp or RunKind.Full)
        {
            Refresh(kind, histories, cancellationToken);
        }
        var clusters = _clusters;
        var targets = kind switch
        {
            RunKind.Cluster or RunKind.Retrain => clusters.Where(c => c.Id == clusterId).Select(c => new AdaptationTarget(c, c.Members, Replace: true)).ToList(),
            RunKind.Full => clusters.Select(c => new AdaptationTarget(c, c.Members, Replace: true)).ToList(),
            _ => clusters.Select(c => new AdaptationTarget(c, c.Members.Where(states.NeedsAdaptation).ToArray(), Replace: false))
                .Where(t => t.Keys.Count > 0).ToList(),
        };
        return new RunPlan(clusters, targets, histories, _coldStart);
    }

    /// <summary>Reads the series, detects periods (all on a full run, the not yet clustered on catch-up) and clusters.</summary>
    private void Refresh(RunKind kind, SeriesHistories histories, CancellationToken cancellationToken)
    {
        var infos = buffers.ListSeries();
        var members = new List<ClusterMember>();
        var coldStart = new List<SeriesKey>();
        for (var i = 0; i < infos.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = infos[i].Key;
            if (kind == RunKind.CatchUp && states.TryGet(key, out var known) && known.ClusterId is not null)
            {
                continue;
            }
            progress.Report("detecting periods", (double)i / infos.Count);
            var window = histories.Read(key);
            if (window is null)
            {
                states.Update(key, e => SeriesEntry.Warming(key, e, infos[i].Step, "its step is not yet known"));
                continue;
            }
            try
            {
                if (Examine(key, window, coldStart) is { } member)
                {
                    members.Add(member);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                states.Update(key, x => (x ?? SeriesEntry.Warming(key, null, window.Step, null)).Unserved(SeriesModelStatus.Failed, $"period detection failed: {e.Message}"));
            }
        }
        _coldStart = coldStart;
        progress.Report("clustering", 0);
        if (kind == RunKind.Full)
        {
            var everyone = members.Concat(states.All
                .Where(e => e.ClusterId is not null && e.Period is not null && members.All(m => m.Key != e.Key))
                .Select(e => new ClusterMember(e.Key, e.Period!.Value, e.Profile))).ToArray();
            _clusters = _clusterer.Cluster(everyone, _clusters);
        }
        else if (members.Count > 0)
        {
            _clusters = _clusterer.Join(_clusters, members);
        }
        foreach (var cluster in _clusters)
        {
            foreach (var key in cluster.Members)
            {
                states.Update(key, e => e!.ClusterId == cluster.Id ? e : e with
                {
                    ClusterId = cluster.Id,
                    Status = e.Status == SeriesModelStatus.Adapted ? e.Status : SeriesModelStatus.Pending,
                    Reason = e.Status == SeriesModelStatus.Adapted && !e.ServedInColdStart ? e.Reason : "waiting for its cluster's model and first adaptation",
                });
            }
        }
    }

    /// <summary>
    /// Period and profile of a series with enough history; otherwise it waits, with the reason, and is added to
    /// <paramref name="coldStart"/> when it can be served in cold start meanwhile (<see cref="Wait"/>).
    /// </summary>
    private ClusterMember? Examine(SeriesKey key, SeriesWindow window, List<SeriesKey> coldStart)
    {
        var estimate = _periods.Detect(window.Values, window.Step);
        if (estimate.IsPeriodic && !SeasonalAnchorCheck.BeatsCarriedForwardValue(window.Values, estimate.Period))
        {
            estimate = estimate with { Period = 0, Reason = $"period {estimate.Period} found, but over a period ahead the value one period earlier forecasts worse than the last value carried forward" };
        }
        var observed = window.Count - window.GapCount;
        if (estimate.IsPeriodic)
        {
            var layout = setup.LayoutFor(estimate.Period, window.Step);
            var needed = layout.ServingSpan;
            if (window.Count < needed)
            {
                Wait(key, window, observed, $"{window.Count} of the {needed} points its period {estimate.Period} needs ({layout.Reach} before a support of {layout.SupportSize})", coldStart);
                return null;
            }
        }
        else
        {
            var needed = AperiodicHistoryNeeded(window.Step);
            if (window.Count < needed)
            {
                Wait(key, window, observed, $"{observed} points: less than the {needed} needed to tell its period ({estimate.Reason})", coldStart);
                return null;
            }
        }
        var profile = SeasonalProfile.Compute(window.Values, SeriesSegment.SlotIndex(window.Start, window.Step), estimate.Period);
        states.Update(key, e => (e ?? SeriesEntry.Warming(key, null, window.Step, null)) with { Step = window.Step, Period = estimate.Period, Profile = profile });
        return new ClusterMember(key, estimate.Period, profile);
    }

    /// <summary>
    /// The series waits for the history a cluster needs (<paramref name="reason"/>); with cold start, once it has
    /// <paramref name="observed"/> points of one aperiodic support it is served in cold start meanwhile (an adapted one
    /// keeps serving either way).
    /// </summary>
    private void Wait(SeriesKey key, SeriesWindow window, int observed, string reason, List<SeriesKey> coldStart)
    {
        var support = setup.LayoutFor(0, window.Step).SupportSize;
        if (setup.Options.ColdStart && observed >= support)
        {
            coldStart.Add(key);
        }
        else if (setup.Options.ColdStart)
        {
            reason = $"{reason}; scored in cold start from {support} points";
        }
        states.Update(key, e => SeriesEntry.Warming(key, e, window.Step, reason));
    }

    /// <summary>Two days of slots (at most two of the longest periods searched, at most the history read), and one task.</summary>
    private int AperiodicHistoryNeeded(TimeSpan step)
    {
        var maxPeriod = setup.Options.MaxPeriod;
        var day = step > TimeSpan.Zero ? (int)Math.Min(int.MaxValue / 4, TimeSpan.FromDays(1) / step) : maxPeriod;
        var layout = setup.LayoutFor(0, step);
        return Math.Min(setup.Options.HistoryLength, Math.Max(layout.ServingSpan + 1, 2 * Math.Min(day, maxPeriod)));
    }
}
