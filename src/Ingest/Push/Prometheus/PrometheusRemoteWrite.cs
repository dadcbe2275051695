using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Shared.Series;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Ingest.Push.Prometheus;

/// <summary>
/// <c>POST /api/v1/prom/write</c>, Prometheus' remote-write 1.0 (a snappy-compressed protobuf <c>WriteRequest</c>,
/// <c>Content-Encoding: snappy</c>), so that a Prometheus, Grafana Agent or any remote-write sender streams its
/// series to MetaAnomaly with a writer key as <c>Authorization: Bearer</c>. Series keys are
/// <see cref="RemoteWriteDecoder"/>'s. Errors are plain text, which Prometheus logs as it gets them; a 4xx tells it not
/// to retry the batch (the good series of a partial write are kept).
/// </summary>
internal sealed class PrometheusRemoteWrite(RemoteWriteDecoder decoder, IOptions<IngestOptions> options) : IPushProtocol
{
    public string Name => "PrometheusRemoteWrite";

    public string Route => "/api/v1/prom/write";

    public string Summary => "Prometheus remote-write 1.0 (snappy-compressed protobuf WriteRequest)";

    public PushFailure? Refuse(HttpRequest request) =>
        string.Equals(request.Headers.ContentEncoding.ToString(), "snappy", StringComparison.OrdinalIgnoreCase)
            ? null
            : new PushFailure(StatusCodes.Status415UnsupportedMediaType,
                $"Content-Encoding '{request.Headers.ContentEncoding}' is not supported: remote-write bodies are snappy-compressed (Content-Encoding: snappy)");

    public PushDecoding Decode(HttpRequest request, ReadOnlySpan<byte> body, DateTimeOffset receivedAt, List<DataPoint> points) =>
        decoder.Decode(body, options.Value.Push.MaxBodyBytes, points);

    public IResult Error(PushFailure failure) => Results.Text(failure.Message + "\n", "text/plain", statusCode: failure.Status);
}
