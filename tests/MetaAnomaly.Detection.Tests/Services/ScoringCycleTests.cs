using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Extensions;
using MetaAnomaly.Detection.Feedback;
using MetaAnomaly.Detection.Muting;
using MetaAnomaly.Detection.Notifications;
using MetaAnomaly.Detection.PostRules;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Sensitivity;
using MetaAnomaly.Detection.Services;
using MetaAnomaly.Detection.Sinks;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Detection.Tests.Support;
using MetaAnomaly.Detection.Webhooks;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Tests.Services;

public sealed class ScoringCycleTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();
    private readonly MemorySeriesBuffers _buffers = new(Synthetic.Start, Synthetic.Step);
    private readonly SeasonalMedianForecaster _forecaster = new(24);
    private readonly RecordingWriteBack _writeBack = new();
    private IOptions<DetectionOptions> _options = Options.Create(new DetectionOptions { Events = { CoolDown = TimeSpan.Zero } });

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ScoresAllSeriesInOneForecastCallPerTickAndStoresEvents()
    {
        var (cycle, store, mask, notifications) = Create();
        var a = Synthetic.Key("a");
        var b = Synthetic.Key("b");
        _forecaster.Models.UnionWith([a, b]);
        var received = new List<EventChange>();
        using var subscription = notifications.Subscribe(c =>
        {
            received.Add(c);
            return Task.CompletedTask;
        });
        var valuesA = Synthetic.Seasonal(700, seed: 11);
        var valuesB = Synthetic.Seasonal(700, seed: 12);
        valuesA[650] += 30;
        _buffers.Append(a, valuesA[..100]);
        _buffers.Append(b, valuesB[..100]);
        Assert.Equal(2, await cycle.RunOnceAsync(default));
        _forecaster.BatchSizes.Clear();

        for (var end = 100; end < 700; end += 50)
        {
            _buffers.Append(a, valuesA[end..(end + 50)]);
            _buffers.Append(b, valuesB[end..(end + 50)]);
            Assert.Equal(100, await cycle.RunOnceAsync(default));
        }

        Assert.Equal(Enumerable.Repeat(100, 12), _forecaster.BatchSizes);
        var anomalies = await store.ListAsync(new AnomalyQuery(Series: a.ToString()), default);
        var spike = Assert.Single(anomalies.Items, e => e.Start == Synthetic.Start + Synthetic.Step * 650);
        Assert.True(spike.Id > 0);
        Assert.Contains(received, c => c.Kind == EventChangeKind.Opened && c.Event.Id == spike.Id);
        Assert.Contains(_writeBack.Points, p => p.Tags["series_key"] == a.ToString());
        Assert.Single(mask.MaskedIntervals(a, Synthetic.Start, Synthetic.Start + Synthetic.Step * 700), i => i.Contains(spike.Start));
        Assert.Equal(601, (await store.ScoresAsync(a, Synthetic.Start, Synthetic.Start + Synthetic.Step * 700, default)).Count);
    }

    [Fact]
    public async Task AnEventThatGrowsMoreSevereBeforeItsOpeningWentOutIsOneNotificationAtTheHigherSeverity()
    {
        // Bands above the defaults, so that the first, smaller spike (surprise 4.8, score 50) opens the event as Low.
        _options = Options.Create(new DetectionOptions { Severity = { Medium = 54, High = 60, Critical = 68 } });
        var (cycle, store, _, _) = Create();
        var webhooks = WebhookStores.On(_database, TimeProvider.System, new EphemeralSecretProtector());
        await webhooks.Endpoints.CreateAsync(new WebhookEndpointRequest("pager", "http://127.0.0.1:9/hook"), default);
        var a = Synthetic.Key("a");
        _forecaster.Models.Add(a);
        var values = Synthetic.Seasonal(700, seed: 21);
        values[650] += 5;
        values[652] += 60;

        _buffers.Append(a, values[..400]);
        await cycle.RunOnceAsync(default);
        _buffers.Append(a, values[400..]);
        while (await cycle.RunOnceAsync(default) > 0)
        {
        }

        var anomaly = Assert.Single((await store.ListAsync(new AnomalyQuery(Series: a.ToString()), default)).Items);
        Assert.Equal(AnomalySeverity.Critical, anomaly.Severity);
        var queued = await webhooks.Deliveries.DueAsync(DateTimeOffset.UtcNow.AddHours(1), 10, default);
        Assert.Equal([$"anomaly-{anomaly.Id}-opened", $"anomaly-{anomaly.Id}-resolved-{anomaly.End.ToUnixTimeMilliseconds()}"], queued.Select(d => d.IdempotencyKey));
        Assert.Contains("\"severity\":\"Critical\"", queued[0].Payload);
    }

    [Fact]
    public async Task RequestsCarryTheHistoryTheForecasterNeedsBeyondTheConfiguredMinimum()
    {
        _options = Options.Create(new DetectionOptions { HistoryPoints = 32 });
        var (cycle, _, _, _) = Create();
        var a = Synthetic.Key("a");
        _forecaster.Models.Add(a);
        _forecaster.HistoryNeeded = 100;
        _buffers.Append(a, Synthetic.Seasonal(300, seed: 14));
        while (await cycle.RunOnceAsync(default) == 0)
        {
        }
        _forecaster.HistoryLengths.Clear();

        _buffers.Append(a, Synthetic.Seasonal(10, seed: 15));
        Assert.Equal(10, await cycle.RunOnceAsync(default));

        Assert.All(_forecaster.HistoryLengths, length => Assert.Equal(100, length));
    }

    [Theory]
    [InlineData(288, true)]
    [InlineData(0, false)]
    public async Task ASeriesMetForTheFirstTimeIsPrimedOnItsStoredHistorySoItCanAlarmAtOnce(int primingPoints, bool alarms)
    {
        _options = Options.Create(new DetectionOptions { PrimingPoints = primingPoints });
        var (cycle, store, _, _) = Create();
        var key = Synthetic.Key();
        _forecaster.Models.Add(key);
        var values = Synthetic.Seasonal(310, seed: 16);
        values[303] += 30;
        _buffers.Append(key, values[..300]);
        while (await cycle.RunOnceAsync(default) == 0)
        {
        }

        _buffers.Append(key, values[300..]);
        Assert.Equal(10, await cycle.RunOnceAsync(default));

        var anomalies = await store.ListAsync(new AnomalyQuery(Series: key.ToString()), default);
        Assert.Equal(alarms, anomalies.Items.Any(e => e.Start == Synthetic.Start + Synthetic.Step * 303));
        Assert.Equal(11, (await store.ScoresAsync(key, Synthetic.Start, Synthetic.Start + Synthetic.Step * 310, default)).Count);
    }

    [Theory]
    [InlineData(true, 10)]
    [InlineData(false, 1)]
    public async Task PointsReceivedAfterWhatASeriesRecoveredFromStorageAreScoredLiveWhenScoringFirstMeetsIt(bool recovered, int live)
    {
        var (cycle, store, _, _) = Create();
        var key = Synthetic.Key();
        var values = Synthetic.Seasonal(310, seed: 17);
        values[303] += 30;
        if (recovered)
        {
            _buffers.Recover(key, values[..300]);
        }
        else
        {
            _buffers.Append(key, values[..300]);
        }
        _buffers.Append(key, values[300..]);
        _forecaster.Models.Add(key);

        var scored = 0;
        for (var tick = 0; tick < 4; tick++)
        {
            scored += await cycle.RunOnceAsync(default);
        }

        Assert.Equal(live, scored);
        var anomalies = await store.ListAsync(new AnomalyQuery(Series: key.ToString()), default);
        Assert.Equal(recovered, anomalies.Items.Any(e => e.Start == Synthetic.Start + Synthetic.Step * 303));
        Assert.Equal(live, (await store.ScoresAsync(key, Synthetic.Start, Synthetic.Start + Synthetic.Step * 310, default)).Count);
    }

    [Fact]
    public async Task ASeriesThatLeftTheBuffersIsForgottenAndScoredFromWhereItsNewRecoveryEndsWhenItComesBack()
    {
        var (cycle, store, _, _) = Create();
        var key = Synthetic.Key();
        var values = Synthetic.Seasonal(310, seed: 19);
        values[307] += 30;
        _buffers.Append(key, values[..300]);
        _forecaster.Models.Add(key);
        for (var tick = 0; tick < 10; tick++)
        {
            await cycle.RunOnceAsync(default);
        }
        Assert.Equal(Synthetic.Start + Synthetic.Step * 299, Assert.Single(cycle.Statuses).LastScored);

        _buffers.Remove(key);
        await cycle.RunOnceAsync(default);
        Assert.Empty(cycle.Statuses);

        // Back from another node, which saw it through point 304: the five points after are this node's to score.
        _buffers.Recover(key, values[..305]);
        _buffers.Append(key, values[305..]);
        var scored = 0;
        for (var tick = 0; tick < 4; tick++)
        {
            scored += await cycle.RunOnceAsync(default);
        }

        Assert.Equal(5, scored);
        var anomalies = await store.ListAsync(new AnomalyQuery(Series: key.ToString()), default);
        Assert.Contains(anomalies.Items, e => e.Start == Synthetic.Start + Synthetic.Step * 307);
    }

    [Fact]
    public async Task PrimingManySeriesIsSpreadOverTicksWithinTheRequestBudget()
    {
        _options = Options.Create(new DetectionOptions { MaxRequestsPerTick = 100 });
        var (cycle, store, _, _) = Create();
        var keys = new[] { Synthetic.Key("a"), Synthetic.Key("b") };
        foreach (var (key, seed) in keys.Select((k, i) => (k, 20 + i)))
        {
            _forecaster.Models.Add(key);
            _buffers.Append(key, Synthetic.Seasonal(300, seed));
        }

        var ticks = 0;
        while (cycle.Statuses.Count(s => s.LastScored is not null && s.Reason is null) < 2 && ticks++ < 20)
        {
            await cycle.RunOnceAsync(default);
        }

        Assert.All(_forecaster.BatchSizes, size => Assert.InRange(size, 1, 100));
        Assert.InRange(ticks, 5, 7);
        foreach (var key in keys)
        {
            Assert.Single(await store.ScoresAsync(key, Synthetic.Start, Synthetic.Start + Synthetic.Step * 300, default));
        }
    }

    [Fact]
    public async Task SeriesWithoutModelIsNotScoredAndSaysWhy()
    {
        var (cycle, store, _, _) = Create();
        var orphan = Synthetic.Key("orphan");
        _buffers.Append(orphan, Synthetic.Seasonal(300, seed: 13));

        Assert.Equal(0, await cycle.RunOnceAsync(default));

        var status = Assert.Single(cycle.Statuses);
        Assert.False(status.Scoring);
        Assert.Equal("Model missing for this series.", status.Reason);
        Assert.Empty(await store.ScoresAsync(orphan, Synthetic.Start, Synthetic.Start + Synthetic.Step * 300, default));
        Assert.Empty(_forecaster.BatchSizes);
    }

    [Fact]
    public async Task GapsAreNotScored()
    {
        var (cycle, store, _, _) = Create();
        var key = Synthetic.Key();
        _forecaster.Models.Add(key);
        var values = Synthetic.Seasonal(200, seed: 14);
        _buffers.Append(key, values[..100]);
        await cycle.RunOnceAsync(default);
        values[150] = double.NaN;
        values[151] = double.NaN;

        _buffers.Append(key, values[100..]);
        var scored = await cycle.RunOnceAsync(default);

        Assert.Equal(98, scored);
        var stored = await store.ScoresAsync(key, Synthetic.Start, Synthetic.Start + Synthetic.Step * 200, default);
        Assert.DoesNotContain(stored, p => p.Timestamp == Synthetic.Start + Synthetic.Step * 150);
    }

    [Fact]
    public async Task ASinkThatThrowsDoesNotStopTheSinksAfterIt()
    {
        var (cycle, store, mask, _) = Create(firstSink: new ThrowingSink());
        var (a, spike) = await ScoreASpikeAtPoint650Async(cycle, store);
        Assert.Single(mask.MaskedIntervals(a, Synthetic.Start, Synthetic.Start + Synthetic.Step * 700), i => i.Contains(spike.Start));
        Assert.Contains(_writeBack.Points, p => p.Fields["id"] == spike.Id);
    }

    [Fact]
    public async Task AClusterWhoseForecastFailsLeavesTheOtherClustersScoredAndSaysWhy()
    {
        var (good, bad) = (Synthetic.Key("good"), Synthetic.Key("bad"));
        _forecaster.Models.UnionWith([good, bad]);
        var (cycle, store, _, _) = Create(new FailingClusterForecaster(_forecaster, bad));
        _buffers.Append(good, Synthetic.Seasonal(100, seed: 17));
        _buffers.Append(bad, Synthetic.Seasonal(100, seed: 18));
        await cycle.RunOnceAsync(default);

        _buffers.Append(good, Synthetic.Seasonal(10, seed: 19));
        _buffers.Append(bad, Synthetic.Seasonal(10, seed: 20));

        Assert.Equal(10, await cycle.RunOnceAsync(default));
        Assert.Equal(11, (await store.ScoresAsync(good, Synthetic.Start, Synthetic.Start + Synthetic.Step * 110, default)).Count);
        var status = Assert.Single(cycle.Statuses, s => s.SeriesKey == bad.ToString());
        Assert.False(status.Scoring);
        Assert.Contains("The forecaster failed", status.Reason);
    }

    [Fact]
    public async Task ASeriesWhoseScoringThrowsLeavesTheOtherSeriesScoredAndSaysWhy()
    {
        var (good, bad) = (Synthetic.Key("good"), Synthetic.Key("bad"));
        _forecaster.Models.UnionWith([good, bad]);
        var throwing = new AnomalyDetector(_options.Value, [new PostRuleFactory(_ => new ThrowsOnHugeValues())], TimeProvider.System);
        var (cycle, store, _, _) = Create(detector: throwing);
        _buffers.Append(good, Synthetic.Seasonal(100, seed: 21));
        _buffers.Append(bad, Synthetic.Seasonal(100, seed: 22).Select(v => v + 1e9).ToArray());
        await cycle.RunOnceAsync(default);

        _buffers.Append(good, Synthetic.Seasonal(10, seed: 23));
        _buffers.Append(bad, Synthetic.Seasonal(10, seed: 24).Select(v => v + 1e9).ToArray());

        Assert.Equal(10, await cycle.RunOnceAsync(default));
        Assert.Equal(11, (await store.ScoresAsync(good, Synthetic.Start, Synthetic.Start + Synthetic.Step * 110, default)).Count);
        var status = Assert.Single(cycle.Statuses, s => s.SeriesKey == bad.ToString());
        Assert.False(status.Scoring);
        Assert.Equal("Scoring failed: no rule for values this large", status.Reason);
    }

    [Fact]
    public async Task AStoredEventKeepsTheReasonOfItsPeak()
    {
        var (cycle, store, _, _) = Create();
        var (_, spike) = await ScoreASpikeAtPoint650Async(cycle, store);
        Assert.StartsWith("residual ", spike.Reason);
        Assert.Contains("scales above the forecast", spike.Reason);
        Assert.Contains("rule 'default' fired", spike.Reason);
    }

    [Fact]
    public async Task AnEventOfASeriesInColdStartIsStoredAndSaysFirstThatTheSeriesIsInColdStart()
    {
        var (cycle, store, _, _) = Create();
        _forecaster.InColdStart.Add(Synthetic.Key("a"));

        var (_, spike) = await ScoreASpikeAtPoint650Async(cycle, store);

        Assert.StartsWith($"{SeasonalMedianForecaster.ColdStartDescription}; residual ", spike.Reason);
        Assert.Contains("rule 'default' fired", spike.Reason);
    }

    /// <summary>Scores a seasonal series with a spike at point 650, 100 points first, then the rest; returns its key and the spike's event.</summary>
    private async Task<(SeriesKey Key, AnomalyEvent Spike)> ScoreASpikeAtPoint650Async(IScoringCycle cycle, IAnomalyStore store)
    {
        var a = Synthetic.Key("a");
        _forecaster.Models.Add(a);
        var values = Synthetic.Seasonal(700, seed: 11);
        values[650] += 30;
        _buffers.Append(a, values[..100]);
        await cycle.RunOnceAsync(default);

        _buffers.Append(a, values[100..]);
        while (await cycle.RunOnceAsync(default) > 0)
        {
        }

        return (a, Assert.Single((await store.ListAsync(new AnomalyQuery(Series: a.ToString()), default)).Items, e => e.Start == Synthetic.Start + Synthetic.Step * 650));
    }

    private (ScoringCycle Cycle, IAnomalyStore Store, AnomalyAdaptationMask Mask, IAnomalyNotifications Notifications) Create(
        IOneStepForecaster? forecaster = null, IDetectionSink? firstSink = null, AnomalyDetector? detector = null)
    {
        var store = new SqlAnomalyStore(_database, TimeProvider.System);
        var thresholds = new FeedbackThresholds(_database, _options, TimeProvider.System);
        var mask = new AnomalyAdaptationMask(_options);
        var notifications = new AnomalyNotificationService(NullLogger<AnomalyNotificationService>.Instance);
        var webhooks = WebhookStores.On(_database, TimeProvider.System, new EphemeralSecretProtector());
        var outbox = new WebhookOutbox(webhooks.Endpoints, webhooks.Deliveries, new MaintenanceWindowStore(_database, TimeProvider.System), new DashboardLink(_options, []), new LocalWebhookClaims(), _options, TimeProvider.System);
        IDetectionSink[] sinks =
        [
            .. firstSink is null ? [] : new[] { firstSink },
            new AdaptationMaskSink(mask),
            new LiveNotificationSink(notifications),
            new WebhookOutboxSink(outbox),
            new WriteBackSink([_writeBack], NullLogger<WriteBackSink>.Instance),
        ];
        var cycle = new ScoringCycle(
            _buffers, forecaster ?? _forecaster, detector ?? DetectionExtensions.CreateDetector(_options.Value, new SensitiveThresholds(thresholds, (_, _) => AlertSensitivity.Medium), TimeProvider.System), store,
            sinks, _options, NullLogger<ScoringCycle>.Instance);
        return (cycle, store, mask, notifications);
    }

    private sealed class RecordingWriteBack : IWriteBack
    {
        public List<WriteBackPoint> Points { get; } = [];

        public ValueTask WriteAsync(IReadOnlyList<WriteBackPoint> points, CancellationToken cancellationToken)
        {
            Points.AddRange(points);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ThrowingSink : IDetectionSink
    {
        public Task HandleAsync(ScoringTick tick, CancellationToken cancellationToken) =>
            tick.Changes.Count > 0 ? throw new InvalidOperationException("sink down") : Task.CompletedTask;
    }

    /// <summary>A post-rule with a bug on one kind of input: it throws for values above a billion.</summary>
    private sealed class ThrowsOnHugeValues : IPostRule
    {
        public void Apply(PointAssessment point)
        {
            if (point.Value > 1e9 - 1000)
            {
                throw new InvalidOperationException("no rule for values this large");
            }
        }
    }

    /// <summary>Puts each series in its own cluster and fails every batch that holds <paramref name="failing"/>.</summary>
    private sealed class FailingClusterForecaster(IOneStepForecaster inner, SeriesKey failing) : IOneStepForecaster
    {
        public IReadOnlyList<OneStepForecast> ForecastNext(IReadOnlyList<OneStepRequest> requests) =>
            requests.Any(r => r.Key == failing) ? throw new InvalidOperationException("cluster down") : inner.ForecastNext(requests);

        public SeriesModelState StateOf(SeriesKey key) => inner.StateOf(key) with { ClusterId = key.ToString() };
    }
}
