using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MetaAnomaly.Dashboard.Security;

namespace MetaAnomaly.Integration.Tests;

/// <summary>
/// A series first pushed after the host is up, every minute, with nothing else to learn from: it is scored once it has
/// one aperiodic support (48 points), two days before its period (1,440 points a day) could be told.
/// </summary>
public sealed class ColdStartTests : IAsyncLifetime
{
    private const string Series = "cpu,host=newcomer#usage";
    private const int Support = 48;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(120);

    private readonly QuietProduct _product = new(new Dictionary<string, string?>
    {
        ["Forecasting:ColdStart"] = "true",
        ["Forecasting:StartupDelay"] = "00:00:01",
        ["Forecasting:CatchUpInterval"] = "00:00:01",
    });
    private readonly HttpClient _http = new();
    private readonly HttpClient _writer = new();
    private readonly DateTimeOffset _start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds() / 60 * 60);

    public async Task InitializeAsync()
    {
        _product.StartServer();
        _http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, await _product.CreateKeyAsync(DashboardRoles.Viewer));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _writer.Dispose();
        await _product.DisposeAsync();
    }

    [Fact]
    public async Task ASeriesPushedAfterStartIsScoredInColdStartOnceItHasOneSupportBeforeItsPeriodIsKnown()
    {
        var writer = await _product.CreateKeyAsync(DashboardRoles.Writer);
        var random = new Random(4);
        await PushAsync(writer, 0, Support - 1, random);
        var waiting = await WaitForModelAsync(m => m.GetProperty("reason").GetString()?.StartsWith($"{Support - 1} points:", StringComparison.Ordinal) == true);
        Assert.Equal("NotServed", waiting.GetProperty("stage").GetString());
        Assert.EndsWith($"scored in cold start from {Support} points", waiting.GetProperty("reason").GetString());
        Assert.Empty(await ScoresAsync());

        await PushAsync(writer, Support - 1, 1, random);
        var scores = await ScoresAsync();
        var deadline = DateTime.UtcNow + Budget;
        while (scores.Length == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            scores = await ScoresAsync();
        }

        var scored = Assert.Single(scores);
        Assert.Equal(_start.AddMinutes(Support - 1), scored.GetProperty("timestamp").GetDateTimeOffset());
        var model = await ModelAsync();
        Assert.Equal("ColdStart", model.GetProperty("stage").GetString());
        Assert.Equal("Adapted", model.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, model.GetProperty("period").ValueKind);
        Assert.Equal(JsonValueKind.Null, model.GetProperty("clusterId").ValueKind);
        Assert.Equal("cold start: scored from the previous-value anchor alone (no shared aperiodic model yet), period not known yet",
            model.GetProperty("stageDescription").GetString());
        Assert.StartsWith($"{Support} points: less than the 2880 needed to tell its period", model.GetProperty("reason").GetString());
    }

    /// <summary>Points <paramref name="from"/>.. (<paramref name="count"/> of them) a minute apart: a daily cycle with noise.</summary>
    private async Task PushAsync(string writer, int from, int count, Random random)
    {
        var lines = new StringBuilder();
        for (var i = from; i < from + count; i++)
        {
            var value = 50 + 20 * Math.Sin(2 * Math.PI * i / 1440) + random.NextDouble();
            lines.Append(CultureInfo.InvariantCulture, $"cpu,host=newcomer usage={value:R} {_start.AddMinutes(i).ToUnixTimeSeconds()}\n");
        }
        using var write = new HttpRequestMessage(HttpMethod.Post, _product.Url("/write?precision=s")) { Content = new StringContent(lines.ToString(), Encoding.UTF8) };
        write.Headers.Authorization = new AuthenticationHeaderValue("Token", writer);
        using var response = await _writer.SendAsync(write);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private async Task<JsonElement> WaitForModelAsync(Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + Budget;
        var model = await ModelAsync();
        while (!done(model) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            model = await ModelAsync();
        }
        return model;
    }

    /// <summary>The series' model state as <c>GET /api/series</c> lists it (undefined until the series is listed).</summary>
    private async Task<JsonElement> ModelAsync()
    {
        using var listed = JsonDocument.Parse(await _http.GetStringAsync(_product.Url("/api/series?tag=host=newcomer")));
        return listed.RootElement.EnumerateArray().Select(s => s.GetProperty("model").Clone()).FirstOrDefault();
    }

    private async Task<JsonElement[]> ScoresAsync()
    {
        var from = Uri.EscapeDataString(_start.AddDays(-1).ToString("O"));
        var to = Uri.EscapeDataString(_start.AddDays(1).ToString("O"));
        using var scores = JsonDocument.Parse(await _http.GetStringAsync(_product.Url($"/api/detection/scores?series={Uri.EscapeDataString(Series)}&from={from}&to={to}")));
        return scores.RootElement.EnumerateArray().Select(s => s.Clone()).ToArray();
    }
}
