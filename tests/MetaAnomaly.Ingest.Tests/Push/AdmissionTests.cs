using System.Net;
using System.Text;
using MetaAnomaly.Ingest.LineProtocol;
using MetaAnomaly.Ingest.Status;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Ingest.Tests.Push;

/// <summary>What <c>/write</c> takes and refuses, and what it says when it refuses, over real HTTP.</summary>
public sealed class AdmissionTests : IAsyncLifetime
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60;
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new();
    private PushServer _server = null!;

    public async Task InitializeAsync() => _server = await PushServer.StartAsync(_temp.Path, new Dictionary<string, string?>
    {
        ["Ingest:Buffers:Capacity"] = "65536",
        ["Ingest:Buffers:MaxMemoryMegabytes"] = "2",
        ["Ingest:Push:MaxKeyBytes"] = "200",
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
        _temp.Dispose();
    }

    private ISeriesBuffers Buffers => _server.Services.GetRequiredService<ISeriesBuffers>();

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(byte[] body)
    {
        using var response = await _http.PostAsync(new Uri(_server.Url, "/write?db=telegraf&precision=s"), new ByteArrayContent(body));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SeriesBeyondTheBudgetGetAPartialWriteWithTheCountAndTheGoodPointsAreKept()
    {
        var lines = string.Concat(Enumerable.Range(0, 7).Select(h => $"cpu,host=h{h} usage={h} {Now}\n"));

        var (status, body) = await PostAsync(Encoding.UTF8.GetBytes(lines));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("partial write: max-series limit exceeded", body);
        Assert.Contains("dropped=3", body);
        Assert.Equal(4, Buffers.ListSeries().Count);
        Assert.Equal(3, _server.Services.GetRequiredService<IIngestStatus>().Current().SkippedOverCapacity);
    }

    [Fact]
    public async Task TheKeyCacheHoldsOnlyTheSeriesTheBuffersAdmitted()
    {
        var lines = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 7).Select(h => $"cpu,host=h{h} usage={h} {Now}\n")));

        await PostAsync(lines);
        await PostAsync(lines);

        Assert.Equal(4, _server.Services.GetRequiredService<SeriesKeyCache>().Count);
    }

    [Fact]
    public async Task ALineWithAKeyOverTheCapIsRefusedByLineNumber()
    {
        var lines = $"cpu,host={new string('x', 300)} usage=1 {Now}\ncpu,host=a usage=2 {Now}\n";

        var (status, body) = await PostAsync(Encoding.UTF8.GetBytes(lines));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("line 1: max key length exceeded: ", body);
        Assert.Contains("> 200 (Ingest:Push:MaxKeyBytes)", body);
        Assert.Equal(["cpu,host=a#usage"], Buffers.ListSeries().Select(s => s.Key.ToString()));
    }

    [Fact]
    public async Task ALineThatIsNotUtf8IsRefusedAndNoNameGetsAReplacementCharacter()
    {
        byte[] lines = [.. "cpu,host=a"u8, 0xFF, 0xFE, .. Encoding.UTF8.GetBytes($" usage=1 {Now}\ncpu,host=b usage=2 {Now}\n")];

        var (status, body) = await PostAsync(lines);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("line 1: invalid UTF-8", body);
        Assert.Equal(["cpu,host=b#usage"], Buffers.ListSeries().Select(s => s.Key.ToString()));
    }

    [Fact]
    public async Task APointOlderThanItsRingIsNamedAsSuchNotAsImplausible()
    {
        var history = string.Concat(Enumerable.Range(0, 65540).Select(i => $"cpu,host=a usage={i} {Now - (65540 - i) * 60}\n"));
        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync(Encoding.UTF8.GetBytes(history))).Status);

        var (status, body) = await PostAsync(Encoding.UTF8.GetBytes($"cpu,host=a usage=-1 {Now - 65540 * 60}\n"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("1 points older than their series' buffer holds (Ingest:Buffers:Capacity=65536 slots)", body);
        Assert.DoesNotContain("plausible", body);
    }
}
