using System.Net;
using System.Net.Http.Headers;
using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Ingest.Push.Prometheus;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.DependencyInjection;
using static MetaAnomaly.Ingest.Tests.Push.RemoteWriteDecoderTests;

namespace MetaAnomaly.Ingest.Tests.Push;

/// <summary><c>POST /api/v1/prom/write</c> over HTTP, with bodies framed as Prometheus sends them.</summary>
public sealed class RemoteWriteEndpointTests : IAsyncLifetime
{
    private const string Token = "s3cret";
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new();
    private PushServer _server = null!;

    public async Task InitializeAsync() => _server = await PushServer.StartAsync(_temp.Path, new Dictionary<string, string?>
    {
        ["Ingest:Push:Token"] = Token,
        ["Ingest:Push:MaxBodyBytes"] = "65536",
    });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    private ISeriesBuffers Buffers => _server.Services.GetRequiredService<ISeriesBuffers>();

    internal static HttpRequestMessage RemoteWrite(Uri server, byte[] body, string? token, string encoding = "snappy")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/api/v1/prom/write")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        request.Content.Headers.ContentEncoding.Add(encoding);
        request.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return request;
    }

    private static TimeSeries Steady(string job, int count) =>
        Series("up", [("job", job)], Enumerable.Range(0, count).Select(i => ((double)i, Now - (count - i) * 15_000L)).ToArray());

    [Fact]
    public async Task ARemoteWriteFillsTheBuffersAndAnswers204()
    {
        using var response = await _http.SendAsync(RemoteWrite(_server.Url, Body(Steady("a", 20), Steady("b", 20)), Token));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var window = Buffers.Latest(new SeriesKey("up", [new("job", "a")], "value"), 20)!;
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (double)i), window.Values);
        Assert.Equal(TimeSpan.FromSeconds(15), window.Step);
        Assert.Equal(20, Buffers.Describe(new SeriesKey("up", [new("job", "b")], "value"))!.PointCount);
    }

    [Fact]
    public async Task AWrongBearerTokenIsRefused401InPlainText()
    {
        using var response = await _http.SendAsync(RemoteWrite(_server.Url, Body(Steady("wrong", 5)), "nope"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Ingest:Push:Token", await response.Content.ReadAsStringAsync());
        Assert.Null(Buffers.Describe(new SeriesKey("up", [new("job", "wrong")], "value")));
    }

    [Fact]
    public async Task ABodyWithoutSnappyEncodingIsRefused415()
    {
        using var response = await _http.SendAsync(RemoteWrite(_server.Url, Body(Steady("gzip", 5)), Token, encoding: "identity"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("Content-Encoding: snappy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ACorruptBodyIsRefused400SoPrometheusDoesNotRetryIt()
    {
        using var response = await _http.SendAsync(RemoteWrite(_server.Url, [0x05, 0xff, 0xff, 0xff], Token));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("snappy-compressed protobuf WriteRequest", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, _server.Services.GetRequiredService<IngestCounters>().RejectedLines);
    }

    [Fact]
    public async Task AMalformedSeriesIsListedInA400AndTheGoodSeriesAreKept()
    {
        using var response = await _http.SendAsync(RemoteWrite(_server.Url, Body(Series(null, [("job", "x")], (1, Now)), Steady("kept", 10)), Token));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("partial write: time series 1: no metric name (label __name__) (accepted=10)\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(10, Buffers.Describe(new SeriesKey("up", [new("job", "kept")], "value"))!.PointCount);
    }

    [Fact]
    public async Task StaleMarkersAreSkippedWithoutFailingTheWrite()
    {
        var series = Series("up", [("job", "stale")], (1, Now - 1000), (BitConverter.Int64BitsToDouble(0x7ff0000000000002), Now));

        using var response = await _http.SendAsync(RemoteWrite(_server.Url, Body(series), Token));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, _server.Services.GetRequiredService<IngestCounters>().NonNumericFields);
    }

    [Fact]
    public async Task ABodyOverTheLimitIsRefused413()
    {
        var body = new byte[70_000];
        new Random(7).NextBytes(body);

        using var response = await _http.SendAsync(RemoteWrite(_server.Url, body, Token));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
