using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.Influx;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Ingest.WriteBack;

/// <summary>
/// <see cref="IWriteBack"/> to InfluxDB 2.x/3.x through InfluxDB.Client's write API: <c>Ingest:WriteBack:Measurement</c>
/// in the bucket <c>Ingest:WriteBack:Database</c> (default <c>Ingest:Influx:Bucket</c>) of <c>Ingest:Influx:Org</c>, in
/// batches of <c>Ingest:Influx:WriteBatchSize</c> points at nanosecond precision. Non-finite numbers are left out; a
/// row left with no field is skipped. Buckets are not created: the token's bucket must exist.
/// </summary>
internal sealed class InfluxV2WriteBack(InfluxV2Connection connection, IOptions<IngestOptions> options) : IWriteBack
{
    public async ValueTask WriteAsync(IReadOnlyList<WriteBackPoint> points, CancellationToken cancellationToken)
    {
        var influx = options.Value.Influx;
        var bucket = options.Value.WriteBack.DatabaseOr(influx.Bucket!);
        var writer = connection.Client.GetWriteApiAsync();
        foreach (var batch in points.Select(ToPointData).OfType<PointData>().Chunk(influx.WriteBatchSize))
        {
            await writer.WritePointsAsync(batch, bucket, influx.Org, cancellationToken);
        }
    }

    private PointData? ToPointData(WriteBackPoint point)
    {
        var data = PointData.Measurement(options.Value.WriteBack.Measurement)
            .Timestamp((point.Timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100, WritePrecision.Ns);
        foreach (var (key, value) in point.Tags.Where(t => t.Value.Length > 0))
        {
            data = data.Tag(key, value);
        }
        foreach (var (key, value) in point.Fields.Where(f => double.IsFinite(f.Value)))
        {
            data = data.Field(key, value);
        }
        foreach (var (key, value) in point.StringFields ?? new Dictionary<string, string>())
        {
            data = data.Field(key, value);
        }
        return data.HasFields() ? data : null;
    }
}
