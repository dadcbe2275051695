using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Dashboard.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Integration.Tests;

/// <summary>
/// The whole product on its embedded default (SQLite state, demo source), sped up: it must serve /health, detect
/// anomalies on the demo stream, list them on <c>GET /api/anomalies</c> and deliver them to a configured webhook.
/// </summary>
public sealed class DemoProductTests : IAsyncLifetime
{
    private static readonly TimeSpan DetectionBudget = TimeSpan.FromSeconds(150);

    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("metaanomaly-integration-").FullName;
    private LocalWebhookReceiver _receiver = null!;
    private WebApplicationFactory<Program> _product = null!;

    public async Task InitializeAsync()
    {
        _receiver = await LocalWebhookReceiver.StartAsync();
        _product = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in DemoSettings(_stateDirectory, _receiver.Url))
            {
                builder.UseSetting(key, value);
            }
        });
        _product.StartServer();
    }

    public async Task DisposeAsync()
    {
        await _product.DisposeAsync();
        await _receiver.DisposeAsync();
        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The embedded default with a faster demo clock, state in a temporary folder and one configured webhook.</summary>
    public static Dictionary<string, string?> DemoSettings(string stateDirectory, Uri webhook) => new()
    {
        ["Ingest:StatePath"] = Path.Combine(stateDirectory, "state.db"),
        ["Ingest:Demo:StepInterval"] = "00:00:00.020",
        ["Dashboard:KeysPath"] = Path.Combine(stateDirectory, "keys"),
        ["Forecasting:ModelDirectory"] = Path.Combine(stateDirectory, "models"),
        ["Forecasting:Device"] = "cpu",
        ["Forecasting:StartupDelay"] = "00:00:01",
        ["Forecasting:CatchUpInterval"] = "00:00:05",
        ["Forecasting:MetaTrainingSteps"] = "60",
        ["Forecasting:MetaTrainingBudget"] = "00:00:04",
        ["Dashboard:AdminPassword"] = "integration-admin",
        ["Detection:Webhooks:Endpoints:0:Name"] = "receiver",
        ["Detection:Webhooks:Endpoints:0:Url"] = webhook.ToString(),
        ["Detection:Webhooks:PollInterval"] = "00:00:00.200",
    };

    [Fact]
    public async Task DemoStreamYieldsAnomaliesOnApiAndWebhook()
    {
        using var client = _product.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/anomalies")).StatusCode);

        var key = await _product.Services.GetRequiredService<IAccountStore>().CreateApiKeyAsync("integration", DashboardRoles.Viewer, CancellationToken.None);
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key.Text);

        JsonElement[] anomalies = [];
        var deadline = DateTime.UtcNow + DetectionBudget;
        while (anomalies.Length == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            anomalies = await client.GetFromJsonAsync<JsonElement[]>("/api/anomalies") ?? [];
        }
        Assert.True(anomalies.Length > 0, $"No anomaly on /api/anomalies within {DetectionBudget.TotalSeconds} s of demo stream.");
        var first = anomalies[0];
        foreach (var property in (string[])["seriesKey", "start", "end", "severity", "score"])
        {
            Assert.True(first.TryGetProperty(property, out _), $"An anomaly lacks '{property}': {first}");
        }

        var delivered = await _receiver.WaitForAsync(
            body => body.GetProperty("type").GetString() == "anomaly.opened"
                && body.GetProperty("anomaly").GetProperty("seriesKey").GetString() is { Length: > 0 },
            TimeSpan.FromSeconds(30));
        Assert.True(delivered is not null, $"The webhook receiver got no anomaly ({_receiver.Received.Count} bodies received).");
    }
}
