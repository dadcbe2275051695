using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.Influx;
using MetaAnomaly.Ingest.LineProtocol;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Ingest.WriteBack;

/// <summary>
/// <see cref="IWriteBack"/> to InfluxDB as <c>Ingest:WriteBack:Measurement</c> in <c>Ingest:WriteBack:Database</c>
/// (default <c>Ingest:Influx:Database</c>; the pull never reads that measurement back from there), in batches of <c>Ingest:Influx:WriteBatchSize</c> lines at nanosecond precision. Non-finite numbers are left out; a row
/// left with no field is skipped. A missing write-back database is created once (a separate database for
/// MetaAnomaly's output is the usual setup).
/// </summary>
internal sealed class InfluxWriteBack(InfluxClient client, IOptions<IngestOptions> options) : IWriteBack
{
    private bool _createdDatabase;

    public async ValueTask WriteAsync(IReadOnlyList<WriteBackPoint> points, CancellationToken cancellationToken)
    {
        var influx = options.Value.Influx;
        var database = options.Value.WriteBack.DatabaseOr(influx.Database);
        var measurement = options.Value.WriteBack.Measurement;
        var writer = new LineProtocolWriter();
        foreach (var point in points)
        {
            var fields = point.Fields.Where(f => double.IsFinite(f.Value))
                .Select(f => new KeyValuePair<string, FieldValue>(f.Key, FieldValue.Float(f.Value)))
                .Concat((point.StringFields ?? new Dictionary<string, string>()).Select(f => new KeyValuePair<string, FieldValue>(f.Key, FieldValue.String(f.Value))))
                .ToArray();
            if (fields.Length == 0)
            {
                continue;
            }
            var tags = point.Tags.Where(t => t.Value.Length > 0).OrderBy(t => t.Key, StringComparer.Ordinal);
            writer.Write(measurement, tags, fields, (point.Timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100);
            if (writer.Lines >= influx.WriteBatchSize)
            {
                await WriteBatchAsync(database, writer.Written, cancellationToken);
                writer.Clear();
            }
        }
        if (writer.Lines > 0)
        {
            await WriteBatchAsync(database, writer.Written, cancellationToken);
        }
    }

    private async Task WriteBatchAsync(string database, ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        var retentionPolicy = options.Value.Influx.RetentionPolicy;
        try
        {
            await client.WriteAsync(database, retentionPolicy, lines, "ns", cancellationToken);
        }
        catch (InfluxException e) when (e.Kind == InfluxErrorKind.DatabaseNotFound && !_createdDatabase)
        {
            _createdDatabase = true;
            await client.ExecuteAsync(null, "CREATE DATABASE " + InfluxQl.Identifier(database), cancellationToken);
            await client.WriteAsync(database, retentionPolicy, lines, "ns", cancellationToken);
        }
    }
}
