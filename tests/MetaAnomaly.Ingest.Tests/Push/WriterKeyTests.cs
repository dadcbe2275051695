using System.Net;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Core.Exceptions;
using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Ingest.Tests.Push;

/// <summary>The push endpoints in the real product: only writer keys may push, refusals in each protocol's error shape.</summary>
public sealed class WriterKeyTests : IAsyncLifetime
{
    private readonly ProductHost _host = new();

    public Task InitializeAsync()
    {
        _host.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string[] Lines(string host) =>
        [$"cpu,host={host} usage=0.5 {DateTimeOffset.UtcNow.ToUnixTimeSeconds()}"];

    private ISeriesBuffers Buffers => _host.Services.GetRequiredService<ISeriesBuffers>();

    private static SeriesKey Usage(string host) => new("cpu", [new("host", host)], "usage");

    private async Task WriteAsync(string token, string host)
    {
        using var client = new InfluxDBClient(_host.BaseAddress.ToString(), token);
        await client.GetWriteApiAsync().WriteRecordsAsync(Lines(host), WritePrecision.S, "telegraf", "any-org");
    }

    [Fact]
    public async Task AWriterKeyPushesThroughTheV2Api()
    {
        await WriteAsync(await _host.CreateKeyAsync(DashboardRoles.Writer), "v2-writer");

        Assert.Equal(1, Buffers.Describe(Usage("v2-writer"))!.PointCount);
    }

    [Fact]
    public async Task AViewerKeyAnswers403()
    {
        var key = await _host.CreateKeyAsync(DashboardRoles.Viewer);

        var error = await Assert.ThrowsAsync<ForbiddenException>(() => WriteAsync(key, "v2-viewer"));

        Assert.Contains("may not write", error.Message);
        Assert.Null(Buffers.Describe(Usage("v2-viewer")));
    }

    [Fact]
    public async Task AnUnknownKeyAnswers401()
    {
        var error = await Assert.ThrowsAsync<UnauthorizedException>(() => WriteAsync("not-a-key", "v2-unknown"));

        Assert.Contains("writer key", error.Message);
        Assert.Null(Buffers.Describe(Usage("v2-unknown")));
    }

    [Theory]
    [InlineData(DashboardRoles.Viewer, HttpStatusCode.Forbidden, "{\"error\":\"insufficient permissions")]
    [InlineData(null, HttpStatusCode.Unauthorized, "{\"error\":\"authorization failed")]
    public async Task TheV1EndpointRefusesInTheV1ErrorShape(string? role, HttpStatusCode expected, string start)
    {
        var key = role is null ? "not-a-key" : await _host.CreateKeyAsync(role);
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(_host.BaseAddress, $"/write?db=telegraf&precision=s&u=telegraf&p={key}"),
            new StringContent(Lines("v1-refused")[0]));

        Assert.Equal(expected, response.StatusCode);
        Assert.StartsWith(start, await response.Content.ReadAsStringAsync());
        Assert.Null(Buffers.Describe(Usage("v1-refused")));
    }
}
