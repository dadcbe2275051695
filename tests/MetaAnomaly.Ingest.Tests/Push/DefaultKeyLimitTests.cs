using System.Net;
using System.Text;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Ingest.Tests.Push;

/// <summary>The shipped key-length cap, InfluxDB's: a series key (series part, separator, field key) of 65,535 bytes.</summary>
public sealed class DefaultKeyLimitTests : IAsyncLifetime
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60;
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new();
    private PushServer _server = null!;

    public async Task InitializeAsync() => _server = await PushServer.StartAsync(_temp.Path, new Dictionary<string, string?>());

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task AKeyOf65535BytesIsKeptAndOneByteMoreIsRefusedByDefault()
    {
        // "cpu,host=" + name, "#", "usage": the name plus 15 bytes.
        var longest = $"cpu,host=a{new string('x', 65535 - 15 - 1)} usage=1 {Now}\n";
        var over = $"cpu,host=b{new string('x', 65535 - 15)} usage=1 {Now}\n";

        using var response = await _http.PostAsync(new Uri(_server.Url, "/write?db=telegraf&precision=s"), new StringContent(longest + over, Encoding.UTF8));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("line 2: max key length exceeded: 65536 > 65535 (Ingest:Push:MaxKeyBytes)", body);
        Assert.DoesNotContain("line 1", body);
        var kept = Assert.Single(_server.Services.GetRequiredService<ISeriesBuffers>().ListSeries());
        Assert.Equal(65535, Encoding.UTF8.GetByteCount(kept.Key.ToString()));
    }
}
