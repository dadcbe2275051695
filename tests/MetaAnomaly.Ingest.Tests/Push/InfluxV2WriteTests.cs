using System.Net;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Core.Exceptions;
using InfluxDB.Client.Writes;
using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Ingest.Tests.Push;

/// <summary><c>POST /api/v2/write</c> with the real InfluxDB.Client (the library Telegraf-free .NET writers use) as the writer.</summary>
public sealed class InfluxV2WriteTests : IAsyncLifetime
{
    private const string Token = "s3cret";
    private const string Org = "metaanomaly";
    private const string Bucket = "telegraf";
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private readonly TempDirectory _temp = new();
    private PushServer _server = null!;

    public async Task InitializeAsync() => _server = await PushServer.StartAsync(_temp.Path, new Dictionary<string, string?>
    {
        ["Ingest:Push:Token"] = Token,
        ["Ingest:Push:Org"] = Org,
        ["Ingest:Push:MaxBodyBytes"] = "65536",
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    private ISeriesBuffers Buffers => _server.Services.GetRequiredService<ISeriesBuffers>();

    private InfluxDBClient Client(string token = Token) => new(_server.Url.ToString(), token);

    private static List<string> Lines(string measurement, int count) =>
        Enumerable.Range(0, count).Select(i => $"{measurement},host=a usage={i}.5,count={i}i,state=\"ok\" {Now - (count - i) * 60}").ToList();

    private static SeriesKey Usage(string measurement) => new(measurement, [new("host", "a")], "usage");

    [Fact]
    public async Task WriteApiAsyncPushesPlainBodiesIntoTheBuffers()
    {
        using var client = Client();

        await client.GetWriteApiAsync().WriteRecordsAsync(Lines("v2plain", 20), WritePrecision.S, Bucket, Org);

        var window = Buffers.Latest(Usage("v2plain"), 20)!;
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i + 0.5), window.Values);
        Assert.Equal(TimeSpan.FromMinutes(1), window.Step);
        Assert.NotNull(Buffers.Describe(new SeriesKey("v2plain", [new("host", "a")], "count")));
        Assert.Equal(20, _server.Services.GetRequiredService<IngestCounters>().NonNumericFields);
    }

    [Fact]
    public async Task WriteApiAsyncPushesGzipBodies()
    {
        using var client = Client();
        client.EnableGzip();

        await client.GetWriteApiAsync().WriteRecordsAsync(Lines("v2gzip", 500), WritePrecision.S, Bucket, Org);

        Assert.Contains("gzip", _server.ContentEncodings);
        Assert.Equal(500, Buffers.Describe(Usage("v2gzip"))!.PointCount);
    }

    [Fact]
    public void TheBatchingWriteApiDeliversEveryPointWithoutErrors()
    {
        var errors = new List<Exception>();
        using (var client = Client())
        using (var writer = client.GetWriteApi(new WriteOptions { BatchSize = 100, FlushInterval = 50 }))
        {
            writer.EventHandler += (_, e) =>
            {
                if (e is WriteErrorEvent error)
                {
                    errors.Add(error.Exception);
                }
            };
            writer.WriteRecords(Lines("v2batched", 350), WritePrecision.S, Bucket, Org);
            writer.Flush();
        }

        Assert.Empty(errors);
        Assert.Equal(350, Buffers.Describe(Usage("v2batched"))!.PointCount);
    }

    [Fact]
    public async Task MalformedLinesAnswer400WithLineNumbersAndTheGoodLinesAreKept()
    {
        var lines = Lines("v2mixed", 10);
        lines.Insert(3, "v2mixed,host=a usage=oops");
        lines.Insert(7, "v2mixed,host=a");
        using var client = Client();

        var error = await Assert.ThrowsAsync<BadRequestException>(() => client.GetWriteApiAsync().WriteRecordsAsync(lines, WritePrecision.S, Bucket, Org));

        Assert.Contains("line 4: field 'usage' has an invalid value 'oops'", error.Message);
        Assert.Contains("line 8: missing fields", error.Message);
        Assert.Equal(10, Buffers.Describe(Usage("v2mixed"))!.PointCount);
        Assert.Equal(2, _server.Services.GetRequiredService<IngestCounters>().RejectedLines);
    }

    [Fact]
    public async Task AWrongTokenAnswers401AndWritesNothing()
    {
        using var client = Client("wrong");

        await Assert.ThrowsAsync<UnauthorizedException>(() => client.GetWriteApiAsync().WriteRecordsAsync(Lines("v2denied", 3), WritePrecision.S, Bucket, Org));

        Assert.Null(Buffers.Describe(Usage("v2denied")));
    }

    [Fact]
    public async Task AnotherOrganizationAnswers404AsInfluxDbDoes()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<NotFoundException>(() => client.GetWriteApiAsync().WriteRecordsAsync(Lines("v2org", 3), WritePrecision.S, Bucket, "elsewhere"));

        Assert.Contains("organization name \"elsewhere\" not found", error.Message);
        Assert.Null(Buffers.Describe(Usage("v2org")));
    }

    [Fact]
    public async Task BodiesOverTheLimitAnswer413BeforeAndAfterDecompression()
    {
        var large = Lines("v2big", 2000);
        using var plain = Client();
        using var zipped = Client();
        zipped.EnableGzip();

        await Assert.ThrowsAsync<RequestEntityTooLargeException>(() => plain.GetWriteApiAsync().WriteRecordsAsync(large, WritePrecision.S, Bucket, Org));
        await Assert.ThrowsAsync<RequestEntityTooLargeException>(() => zipped.GetWriteApiAsync().WriteRecordsAsync(large, WritePrecision.S, Bucket, Org));

        Assert.Contains("gzip", _server.ContentEncodings);
        Assert.Null(Buffers.Describe(Usage("v2big")));
    }

    [Theory]
    [InlineData("org=metaanomaly&precision=s", "bucket is required")]
    [InlineData("org=metaanomaly&bucket=telegraf&precision=h", "invalid precision 'h'")]
    public async Task RefusedParametersAnswer400InTheV2ErrorShape(string query, string message)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.Url, "/api/v2/write?" + query))
        {
            Content = new StringContent($"v2query,host=a usage=1 {Now}\n"),
            Headers = { Authorization = new("Token", Token) },
        };

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("{\"code\":\"invalid\",\"message\":", body);
        Assert.Contains(message, body);
    }
}
