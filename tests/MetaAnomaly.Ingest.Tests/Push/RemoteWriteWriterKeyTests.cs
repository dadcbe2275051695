using System.Net;
using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.DependencyInjection;
using static MetaAnomaly.Ingest.Tests.Push.RemoteWriteDecoderTests;

namespace MetaAnomaly.Ingest.Tests.Push;

/// <summary>Remote-write in the real product: writer keys as bearer tokens, viewers refused.</summary>
public sealed class RemoteWriteWriterKeyTests : IAsyncLifetime
{
    private readonly ProductHost _host = new();
    private readonly HttpClient _http = new();

    public Task InitializeAsync()
    {
        _host.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    private static byte[] OnePoint(string job) => Body(Series("up", [("job", job)], (1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));

    [Fact]
    public async Task AWriterKeyAsBearerTokenWrites()
    {
        var key = await _host.CreateKeyAsync(DashboardRoles.Writer);

        using var response = await _http.SendAsync(RemoteWriteEndpointTests.RemoteWrite(_host.BaseAddress, OnePoint("writer"), key));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.NotNull(_host.Services.GetRequiredService<ISeriesBuffers>().Describe(new SeriesKey("up", [new("job", "writer")], "value")));
    }

    [Fact]
    public async Task AViewerKeyIsRefused403AndNoKey401()
    {
        var viewer = await _host.CreateKeyAsync(DashboardRoles.Viewer);

        using var forbidden = await _http.SendAsync(RemoteWriteEndpointTests.RemoteWrite(_host.BaseAddress, OnePoint("viewer"), viewer));
        using var anonymous = await _http.SendAsync(RemoteWriteEndpointTests.RemoteWrite(_host.BaseAddress, OnePoint("anonymous"), null));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
