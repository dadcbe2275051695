using MetaAnomaly.Ingest.LineProtocol;
using MetaAnomaly.Shared.Series;
using Microsoft.AspNetCore.Http;

namespace MetaAnomaly.Ingest.Push;

/// <summary>
/// <c>POST /write?db=&amp;rp=&amp;precision=</c>, InfluxDB 1.x's write endpoint, so that an InfluxDB subscription or
/// Telegraf's influxdb output streams points to MetaAnomaly. <c>db</c> and <c>rp</c> are accepted and not part of the
/// series key; errors are InfluxDB 1.x's <c>{"error": "..."}</c>.
/// </summary>
internal sealed class InfluxV1Write(SeriesKeyCache keys) : IPushProtocol
{
    public string Name => "InfluxWrite";

    public string Route => "/write";

    public string Summary => "InfluxDB 1.x line-protocol write (db, rp, precision; gzip bodies)";

    public PushFailure? Refuse(HttpRequest request) =>
        Precision.TryParse(request.Query["precision"], out _)
            ? null
            : new PushFailure(StatusCodes.Status400BadRequest, $"invalid precision '{request.Query["precision"]}': use ns, u, ms, s, m or h");

    public PushDecoding Decode(HttpRequest request, ReadOnlySpan<byte> body, DateTimeOffset receivedAt, List<DataPoint> points)
    {
        Precision.TryParse(request.Query["precision"], out var nanosecondsPerUnit);
        return PushDecoding.FromLines(new PointDecoder(keys).Decode(body, nanosecondsPerUnit, receivedAt, points));
    }

    public IResult Error(PushFailure failure) => Results.Json(new V1Error(failure.Message), statusCode: failure.Status);

    private sealed record V1Error(string Error);
}
