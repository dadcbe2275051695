using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Ingest.Tests.Push;

public sealed class InfluxV1WriteTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private PushServer _server = null!;
    private readonly HttpClient _http = new();
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public async Task InitializeAsync() => _server = await PushServer.StartAsync(_temp.Path, new Dictionary<string, string?>
    {
        ["Ingest:Push:Token"] = "s3cret",
        ["Ingest:Push:MaxBodyBytes"] = "65536",
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
        _temp.Dispose();
    }

    private ISeriesBuffers Buffers => _server.Services.GetRequiredService<ISeriesBuffers>();

    private Task<HttpResponseMessage> PostAsync(string body, string query = "db=telegraf&precision=s", string? token = "s3cret", bool gzip = false)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        if (gzip)
        {
            using var compressed = new MemoryStream();
            using (var zip = new GZipStream(compressed, CompressionLevel.Fastest))
            {
                zip.Write(bytes);
            }
            bytes = compressed.ToArray();
        }
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.Url, "/write?" + query)) { Content = new ByteArrayContent(bytes) };
        if (gzip)
        {
            request.Content.Headers.ContentEncoding.Add("gzip");
        }
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", token);
        }
        return _http.SendAsync(request);
    }

    private static string Lines(string measurement, int count, string host = "a") =>
        string.Concat(Enumerable.Range(0, count).Select(i => $"{measurement},host={host} usage={i}.5,count={i}i,state=\"ok\" {Now - (count - i) * 60}\n"));

    [Fact]
    public async Task ValidBodyAnswers204AndFillsTheBuffers()
    {
        using var response = await PostAsync(Lines("cpu", 20));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var window = Buffers.Latest(new SeriesKey("cpu", [new("host", "a")], "usage"), 20)!;
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i + 0.5), window.Values);
        Assert.Equal(TimeSpan.FromMinutes(1), window.Step);
        Assert.NotNull(Buffers.Describe(new SeriesKey("cpu", [new("host", "a")], "count")));
        Assert.Null(Buffers.Describe(new SeriesKey("cpu", [new("host", "a")], "state")));
        Assert.Equal(20, _server.Services.GetRequiredService<IngestCounters>().NonNumericFields);
    }

    [Fact]
    public async Task GzipBodiesAreAccepted()
    {
        using var response = await PostAsync(Lines("gz", 10), gzip: true);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(10, Buffers.Describe(new SeriesKey("gz", [new("host", "a")], "usage"))!.PointCount);
    }

    [Fact]
    public async Task MalformedLinesAnswer400WithLineNumbersAndTheGoodLinesAreKept()
    {
        var body = Lines("mixed", 10).Split('\n').ToList();
        body.Insert(3, "mixed,host=a usage=oops");
        body.Insert(7, "mixed,host=a");
        using var response = await PostAsync(string.Join('\n', body));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("line 4: field 'usage' has an invalid value 'oops'", text);
        Assert.Contains("line 8: missing fields", text);
        Assert.Equal(10, Buffers.Describe(new SeriesKey("mixed", [new("host", "a")], "usage"))!.PointCount);
        Assert.Equal(2, _server.Services.GetRequiredService<IngestCounters>().RejectedLines);
    }

    [Fact]
    public async Task NonFiniteValuesAndImplausibleTimestampsAreSkippedAndCounted()
    {
        var body = Lines("odd", 10) + $"odd,host=a usage=NaN {Now}\nodd,host=a usage=1 1\nodd,host=a usage=1 {Now + 86400 * 365}\n";
        using var response = await PostAsync(body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("2 points with timestamps outside the plausible range", text);
        Assert.Contains("1 NaN or infinite values dropped", text);
        var counters = _server.Services.GetRequiredService<IngestCounters>();
        Assert.Equal(1, counters.SkippedNotFinite);
        Assert.Equal(2, counters.SkippedOutOfRange);
        Assert.Equal(10, Buffers.Describe(new SeriesKey("odd", [new("host", "a")], "usage"))!.PointCount);
    }

    [Fact]
    public async Task BodiesOverTheLimitAnswer413BeforeAndAfterDecompression()
    {
        var large = Lines("big", 2000);
        using var plain = await PostAsync(large);
        using var zipped = await PostAsync(large, gzip: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, plain.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, zipped.StatusCode);
        Assert.Null(Buffers.Describe(new SeriesKey("big", [new("host", "a")], "usage")));
    }

    [Theory]
    [InlineData(null, "db=x")]
    [InlineData("wrong", "db=x")]
    public async Task MissingOrWrongTokenAnswers401(string? token, string query)
    {
        using var response = await PostAsync(Lines("secret", 3), query, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(Buffers.Describe(new SeriesKey("secret", [new("host", "a")], "usage")));
    }

    [Fact]
    public async Task TokenIsAlsoAcceptedAsTheInfluxPasswordParameter()
    {
        using var response = await PostAsync(Lines("viaquery", 3), "db=x&u=any&p=s3cret&precision=s", token: null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task UnknownPrecisionAnswers400()
    {
        using var response = await PostAsync(Lines("p", 3), "db=x&precision=fortnight");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
