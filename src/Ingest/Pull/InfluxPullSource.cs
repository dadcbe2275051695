using System.Text;
using System.Text.RegularExpressions;
using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.Influx;
using MetaAnomaly.Ingest.Sources;
using MetaAnomaly.Ingest.Status;
using MetaAnomaly.Ingest.Storage;
using MetaAnomaly.Ingest.Wal;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MetaAnomaly.Shared.Telemetry;

namespace MetaAnomaly.Ingest.Pull;

/// <summary>
/// Polls InfluxDB every <c>Ingest:Pull:Interval</c> for the configured selection (database, retention policy,
/// measurement regex, fields, tag filters), reading from each measurement's persisted watermark minus the grace window,
/// or from further back for a tag set that is behind the others (late hosts: a watermark per tag set, and
/// <c>Ingest:Pull:LatenessWindow</c>); a point read twice lands in the same slot, so the overlap never duplicates.
/// Watermarks move only after the points they cover are in the write-ahead log. Watermarks survive restarts (no gap after a restart or an InfluxDB outage: the next poll starts where
/// the last successful one ended). Also closes the gaps that push leaves while MetaAnomaly was down. MetaAnomaly's own
/// write-back (<c>Ingest:WriteBack:Measurement</c>) is never selected from the database it is written to, whatever the
/// selection: following its own anomalies would be a feedback loop.
/// </summary>
internal sealed partial class InfluxPullSource(
    InfluxClient client,
    IDurableIngestor ingestor,
    IWatermarkStore watermarks,
    IngestStatus status,
    IOptions<IngestOptions> options,
    TimeProvider clock,
    ILogger<InfluxPullSource> logger) : IIngestSource
{
    private readonly HashSet<SeriesKey> _followed = [];
    private readonly Regex? _measurements = string.IsNullOrEmpty(options.Value.Pull.Measurements) ? null : new Regex(options.Value.Pull.Measurements);
    private bool _capWarned;

    private InfluxOptions Influx => options.Value.Influx;

    private PullOptions Pull => options.Value.Pull;

    internal string WatermarkSource => $"influx:{Influx.Database}.{Influx.RetentionPolicy}";

    /// <summary>The newest point read of each tag set (scope: measurement and tags), for late hosts.</summary>
    internal string TagSetWatermarkSource => WatermarkSource + ":tagsets";

    public string Name => "influx-pull";

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        status.SourceStarted(Name);
        using var timer = new PeriodicTimer(Pull.Interval, clock);
        do
        {
            await PollAndReportAsync(stoppingToken);
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>One poll; a failure is reported (status, log) and the next poll starts again from the same watermarks.</summary>
    internal async Task PollAndReportAsync(CancellationToken cancellationToken)
    {
        try
        {
            var report = await PollOnceAsync(cancellationToken);
            LogPolled(report.Measurements, report.Points);
        }
        catch (InfluxException e)
        {
            status.InfluxState(e.Kind switch
            {
                InfluxErrorKind.Unauthorized => InfluxConnectionState.Unauthorized,
                InfluxErrorKind.Unreachable => InfluxConnectionState.Unreachable,
                _ => InfluxConnectionState.Failing,
            });
            status.Error(e.Message);
            LogPollFailed(e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            status.InfluxState(InfluxConnectionState.Failing);
            status.Error(e.Message);
            LogPollCrashed(e);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One poll of every selected measurement; watermarks are saved after each measurement.</summary>
    internal async Task<PullReport> PollOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var nowNs = ToNanoseconds(now);
        var measurements = (await client.ShowMeasurementsAsync(Influx.Database, null, cancellationToken)).Where(IsSelected).ToArray();
        var marks = await watermarks.GetAllAsync(WatermarkSource, cancellationToken);
        var tagSetMarks = await watermarks.GetAllAsync(TagSetWatermarkSource, cancellationToken);
        long total = 0;
        foreach (var measurement in measurements)
        {
            var fields = (await client.ShowFieldKeysAsync(Influx.Database, Influx.RetentionPolicy, measurement, cancellationToken))
                .Where(f => f.Type is "float" or "integer" or "unsigned")
                .Select(f => f.Key)
                .Where(f => Pull.Fields.Count == 0 || Pull.Fields.Contains(f))
                .Distinct()
                .ToArray();
            if (fields.Length == 0)
            {
                continue;
            }
            var known = marks.TryGetValue(measurement, out var stored);
            var mark = known ? stored : nowNs - Pull.InitialLookback.Ticks * 100;
            var ahead = nowNs + options.Value.Timestamps.MaxAhead.Ticks * 100;
            if (mark > ahead)
            {
                LogWatermarkAhead(measurement, FromNanoseconds(mark), now);
                mark = nowNs - Pull.InitialLookback.Ticks * 100;
                known = false;
            }
            var from = mark - Pull.GraceWindow.Ticks * 100;
            if (known)
            {
                from = await LateStartAsync(measurement, fields[0], mark, from, tagSetMarks, cancellationToken);
            }
            var read = await ReadAsync(measurement, fields, from, ahead, cancellationToken);
            total += read.Points;
            var moved = read.NewestByTagSet.Where(t => !tagSetMarks.TryGetValue(t.Key, out var seen) || t.Value > seen).ToArray();
            if (moved.Length > 0)
            {
                await watermarks.SetAsync(TagSetWatermarkSource, moved, cancellationToken);
            }
            if (read.Newest > mark || !known || stored != mark)
            {
                await watermarks.SetAsync(WatermarkSource, [new KeyValuePair<string, long>(measurement, Math.Max(read.Newest, mark))], cancellationToken);
            }
        }
        status.InfluxState(InfluxConnectionState.Connected);
        return new PullReport(measurements.Length, total);
    }

    private bool IsSelected(string measurement) =>
        (_measurements?.IsMatch(measurement) ?? true) && !IsOwnWriteBack(measurement);

    private bool IsOwnWriteBack(string measurement) =>
        measurement == options.Value.WriteBack.Measurement && options.Value.WriteBack.DatabaseOr(Influx.Database) == Influx.Database;

    /// <summary>
    /// Where a read of a known measurement starts: the grace window before its watermark, or earlier for a tag set with
    /// points in <c>Ingest:Pull:LatenessWindow</c> that it was not read up to (a host writing late, or a new host that
    /// starts behind the others): one <c>last()</c> per tag set over the part of that window the read would skip.
    /// </summary>
    private async Task<long> LateStartAsync(string measurement, string field, long mark, long from, IReadOnlyDictionary<string, long> tagSetMarks, CancellationToken cancellationToken)
    {
        var lateFrom = mark - Pull.LatenessWindow.Ticks * 100;
        if (lateFrom >= from)
        {
            return from;
        }
        var query = Selection(new StringBuilder("SELECT last(").Append(InfluxQl.Identifier(field)).Append(')'), measurement, lateFrom, from - 1);
        var start = from;
        await foreach (var series in client.QueryAsync(Influx.Database, query, cancellationToken))
        {
            var timeColumn = series.ColumnIndex("time");
            var seen = tagSetMarks.TryGetValue(TagSetScope(measurement, series.Tags), out var tagSetMark);
            if (series.Values.Any(row => row[timeColumn] is long last && (!seen || last > tagSetMark)))
            {
                start = Math.Min(start, seen ? tagSetMark - Pull.GraceWindow.Ticks * 100 : lateFrom);
            }
        }
        if (start < from)
        {
            LogLateTagSets(measurement, TimeSpan.FromTicks((from - start) / 100));
        }
        return start;
    }

    private string Selection(StringBuilder select, string measurement, long fromNs, long toNs)
    {
        select.Append(" FROM ").Append(InfluxQl.From(Influx.Database, Influx.RetentionPolicy, measurement))
            .Append(" WHERE time >= ").Append(fromNs).Append(" AND time <= ").Append(toNs);
        foreach (var (key, value) in Pull.Tags)
        {
            select.Append(" AND ").Append(InfluxQl.Identifier(key)).Append(" = ").Append(InfluxQl.Literal(value));
        }
        return select.Append(" GROUP BY *").ToString();
    }

    /// <summary>The watermark scope of one tag set: the measurement and its non-empty tags, sorted.</summary>
    private static string TagSetScope(string measurement, IReadOnlyDictionary<string, string> tags) =>
        string.Join(',', tags.Where(t => t.Value.Length > 0).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}").Prepend(measurement));

    private async Task<PullRead> ReadAsync(string measurement, string[] fields, long fromNs, long toNs, CancellationToken cancellationToken)
    {
        var query = Selection(new StringBuilder("SELECT ").AppendJoin(',', fields.Select(InfluxQl.Identifier)), measurement, fromNs, toNs);
        long count = 0, newest = long.MinValue;
        var newestByTagSet = new Dictionary<string, long>(StringComparer.Ordinal);
        var batch = new List<DataPoint>();
        await foreach (var series in client.QueryAsync(Influx.Database, query, cancellationToken))
        {
            var timeColumn = series.ColumnIndex("time");
            var tags = series.Tags.Where(t => t.Value.Length > 0).ToArray();
            var scope = TagSetScope(measurement, series.Tags);
            var keys = new SeriesKey?[series.Columns.Count];
            for (var c = 0; c < keys.Length; c++)
            {
                if (c != timeColumn)
                {
                    keys[c] = Follow(new SeriesKey(measurement, tags, series.Columns[c]));
                }
            }
            batch.Clear();
            foreach (var row in series.Values)
            {
                if (row[timeColumn] is not long time)
                {
                    continue;
                }
                newest = Math.Max(newest, time);
                newestByTagSet[scope] = Math.Max(time, newestByTagSet.GetValueOrDefault(scope, long.MinValue));
                var timestamp = FromNanoseconds(time);
                for (var c = 0; c < keys.Length; c++)
                {
                    if (keys[c] is { } key && row[c] is double value)
                    {
                        batch.Add(new DataPoint(key, timestamp, value));
                    }
                }
            }
            var accepted = (await ingestor.IngestAsync(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(batch), cancellationToken)).Accepted;
            ProductMetrics.Ingested(Name, accepted);
            count += accepted;
        }
        return new PullRead(count, newest, newestByTagSet);
    }

    private SeriesKey? Follow(SeriesKey key)
    {
        if (_followed.Contains(key))
        {
            return key;
        }
        if (_followed.Count >= Pull.MaxSeries)
        {
            if (!_capWarned)
            {
                _capWarned = true;
                LogSeriesCap(Pull.MaxSeries, key.ToString());
            }
            return null;
        }
        _followed.Add(key);
        return key;
    }

    internal static long ToNanoseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    internal static DateTimeOffset FromNanoseconds(long nanoseconds) => DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / 100);

    internal readonly record struct PullReport(int Measurements, long Points);

    private sealed record PullRead(long Points, long Newest, IReadOnlyDictionary<string, long> NewestByTagSet);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pulled {Points} points from {Measurements} measurements")]
    private partial void LogPolled(int measurements, long points);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pull from InfluxDB failed, retrying next interval from the same watermarks: {Reason}")]
    private partial void LogPollFailed(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pull from InfluxDB failed unexpectedly; retrying next interval")]
    private partial void LogPollCrashed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The watermark of {Measurement} ({Watermark}) is ahead of the clock ({Now}); re-reading from Ingest:Pull:InitialLookback")]
    private partial void LogWatermarkAhead(string measurement, DateTimeOffset watermark, DateTimeOffset now);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Measurement}: tag sets behind the others; this read starts {Behind} earlier")]
    private partial void LogLateTagSets(string measurement, TimeSpan behind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest:Pull:MaxSeries={Cap} reached: series beyond it (first: {Key}) are ignored. Narrow Ingest:Pull:Measurements/Fields/Tags or raise the cap.")]
    private partial void LogSeriesCap(int cap, string key);
}
