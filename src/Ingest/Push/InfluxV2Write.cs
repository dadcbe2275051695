using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.LineProtocol;
using MetaAnomaly.Shared.Series;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Ingest.Push;

/// <summary>
/// <c>POST /api/v2/write?org=&amp;bucket=&amp;precision=</c>, InfluxDB 2.x's write endpoint, so that Telegraf's
/// influxdb_v2 output and InfluxDB.Client's write APIs push unchanged (writer key as <c>Authorization: Token</c>).
/// <c>bucket</c> is required and, like v1's <c>db</c>, not part of the series key; <c>org</c> must equal
/// <c>Ingest:Push:Org</c> when that is set (404 otherwise, as InfluxDB answers an unknown organization) and is
/// ignored when it is not. Errors are InfluxDB 2.x's <c>{"code": "...", "message": "..."}</c>.
/// </summary>
internal sealed class InfluxV2Write(SeriesKeyCache keys, IOptions<IngestOptions> options) : IPushProtocol
{
    public string Name => "InfluxV2Write";

    public string Route => "/api/v2/write";

    public string Summary => "InfluxDB 2.x line-protocol write (org, bucket, precision; gzip bodies)";

    public PushFailure? Refuse(HttpRequest request)
    {
        if (!TryParsePrecision(request.Query["precision"], out _))
        {
            return new PushFailure(StatusCodes.Status400BadRequest, $"invalid precision '{request.Query["precision"]}': use ns, us, ms or s");
        }
        if (string.IsNullOrEmpty(request.Query["bucket"]))
        {
            return new PushFailure(StatusCodes.Status400BadRequest, "bucket is required");
        }
        var org = request.Query["org"].ToString();
        return options.Value.Push.Org is { Length: > 0 } expected && !string.Equals(org, expected, StringComparison.Ordinal)
            ? new PushFailure(StatusCodes.Status404NotFound, $"organization name \"{org}\" not found")
            : null;
    }

    public PushDecoding Decode(HttpRequest request, ReadOnlySpan<byte> body, DateTimeOffset receivedAt, List<DataPoint> points)
    {
        TryParsePrecision(request.Query["precision"], out var nanosecondsPerUnit);
        return PushDecoding.FromLines(new PointDecoder(keys).Decode(body, nanosecondsPerUnit, receivedAt, points));
    }

    public IResult Error(PushFailure failure) => Results.Json(new V2Error(Code(failure.Status), failure.Message), statusCode: failure.Status);

    /// <summary>The four precisions of the v2 API (empty: ns).</summary>
    private static bool TryParsePrecision(string? text, out long nanosecondsPerUnit) =>
        Precision.TryParse(text, out nanosecondsPerUnit) && text is null or "" or "ns" or "us" or "ms" or "s";

    /// <summary>InfluxDB 2.x's error codes for the statuses a write answers with.</summary>
    private static string Code(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not found",
        StatusCodes.Status413PayloadTooLarge => "request too large",
        _ => "invalid",
    };

    private sealed record V2Error(string Code, string Message);
}
