using System.Collections.Concurrent;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Shared.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetaAnomaly.Detection.Sensitivity;

/// <summary>
/// The operators' sensitivities per series and per cluster, in the state database and in memory (the detector reads
/// them for every point); loaded when the host starts, before scoring does. Where the database is shared by several
/// nodes (a cluster's), read again every <c>refreshEvery</c>, so that a sensitivity set on one node reaches the others.
/// </summary>
public sealed partial class SensitivityStore(
    IStateDatabase database, TimeProvider time, TimeSpan? refreshEvery = null, ILogger<SensitivityStore>? logger = null) : BackgroundService
{
    /// <summary>How often a node reads the sensitivities again from a database other nodes write too.</summary>
    public static readonly TimeSpan SharedRefreshInterval = TimeSpan.FromSeconds(10);

    private readonly ILogger<SensitivityStore> _logger = logger ?? NullLogger<SensitivityStore>.Instance;
    private volatile ConcurrentDictionary<SeriesKey, SensitivitySetting> _series = new();
    private volatile ConcurrentDictionary<string, SensitivitySetting> _clusters = new(StringComparer.Ordinal);

    public IReadOnlyList<SensitivitySetting> All =>
        [.. _clusters.Values.OrderBy(s => s.Target, StringComparer.Ordinal), .. _series.Values.OrderBy(s => s.Target, StringComparer.Ordinal)];

    public EffectiveSensitivity EffectiveFor(SeriesKey series, string? clusterId) =>
        _series.TryGetValue(series, out var own) ? new(own.Sensitivity, SensitivityScope.Series)
        : clusterId is not null && _clusters.TryGetValue(clusterId, out var cluster) ? new(cluster.Sensitivity, SensitivityScope.Cluster)
        : EffectiveSensitivity.Default;

    public AlertSensitivity SensitivityOf(SeriesKey series, string? clusterId) => EffectiveFor(series, clusterId).Sensitivity;

    public async Task<SensitivitySetting> SetAsync(
        SensitivityScope scope, string target, AlertSensitivity sensitivity, string? author, CancellationToken cancellationToken)
    {
        var setting = new SensitivitySetting(scope, target, sensitivity, author, time.GetUtcNow());
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.Command("""
            INSERT INTO detection_sensitivities (scope, target, sensitivity, set_by, set_ms) VALUES (@scope, @target, @sensitivity, @author, @at)
            ON CONFLICT (scope, target) DO UPDATE SET sensitivity = excluded.sensitivity, set_by = excluded.set_by, set_ms = excluded.set_ms
            """).With("@scope", (int)scope).With("@target", target).With("@sensitivity", (int)sensitivity)
            .With("@author", author).With("@at", setting.SetAt.ToUnixMs()))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        Remember(setting);
        return setting;
    }

    /// <summary>Removes the setting (the series then follows its cluster, the cluster the default); false when there was none.</summary>
    public async Task<bool> ClearAsync(SensitivityScope scope, string target, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM detection_sensitivities WHERE scope = @scope AND target = @target")
            .With("@scope", (int)scope).With("@target", target);
        var removed = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        if (scope == SensitivityScope.Series)
        {
            _series.TryRemove(SeriesKey.Parse(target), out _);
        }
        else
        {
            _clusters.TryRemove(target, out _);
        }
        return removed;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (refreshEvery is not { } every)
        {
            return;
        }
        using var timer = new PeriodicTimer(every, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await LoadAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogRefreshFailed(exception.Message);
            }
        }
    }

    /// <summary>Reads every setting and puts them in place of the ones in memory.</summary>
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var series = new ConcurrentDictionary<SeriesKey, SensitivitySetting>();
        var clusters = new ConcurrentDictionary<string, SensitivitySetting>(StringComparer.Ordinal);
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.Command("SELECT scope, target, sensitivity, set_by, set_ms FROM detection_sensitivities"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                Remember(new SensitivitySetting((SensitivityScope)reader.GetInt64(0), reader.GetString(1), (AlertSensitivity)reader.GetInt64(2),
                    reader.NullableString(3), DbCommandExtensions.FromUnixMs(reader.GetInt64(4))), series, clusters);
            }
        }
        _series = series;
        _clusters = clusters;
    }

    private void Remember(SensitivitySetting setting) => Remember(setting, _series, _clusters);

    private static void Remember(
        SensitivitySetting setting, ConcurrentDictionary<SeriesKey, SensitivitySetting> series, ConcurrentDictionary<string, SensitivitySetting> clusters)
    {
        if (setting.Scope == SensitivityScope.Series)
        {
            series[SeriesKey.Parse(setting.Target)] = setting;
        }
        else
        {
            clusters[setting.Target] = setting;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Reading the sensitivities again failed ({Error}); the ones read before stay in use and it is tried again")]
    private partial void LogRefreshFailed(string error);
}
