using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MetaAnomaly.Bench.Faults;

/// <summary>
/// The whole Dashboard host on its embedded demo, with the demo clock sped up (a data step every 20 ms) and a short
/// first meta-training, as the integration tests run it; signed in as the seeded admin, whose new API key every
/// request of <see cref="ProductProcess.Http"/> then carries.
/// </summary>
internal static partial class DemoDashboard
{
    private const string AdminPassword = "faults-bench-admin";

    /// <summary>The demo's seven series, all of which must be scored.</summary>
    public const int DemoSeries = 7;

    public static async Task<ProductProcess> StartAsync(string stateFolder, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, string>
        {
            ["Ingest:Demo:Enabled"] = "true",
            ["Ingest:Demo:StepInterval"] = "00:00:00.020",
            ["Forecasting:Device"] = "cpu",
            ["Forecasting:StartupDelay"] = "00:00:01",
            ["Forecasting:CatchUpInterval"] = "00:00:05",
            ["Forecasting:MetaTrainingSteps"] = "60",
            ["Forecasting:MetaTrainingBudget"] = "00:00:10",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return await StartSignedInAsync(stateFolder, all, cancellationToken);
    }

    /// <summary>The Dashboard host as shipped with <paramref name="settings"/>, its admin seeded, not signed in.</summary>
    public static Task<ProductProcess> StartShippedAsync(string stateFolder, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken) =>
        ProductProcess.StartDashboardAsync(stateFolder, new Dictionary<string, string>(settings) { ["Dashboard:AdminPassword"] = AdminPassword }, cancellationToken);

    /// <summary>The Dashboard host as shipped with <paramref name="settings"/>, signed in as the seeded admin.</summary>
    public static async Task<ProductProcess> StartSignedInAsync(string stateFolder, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var product = await StartShippedAsync(stateFolder, settings, cancellationToken);
        try
        {
            product.Http.DefaultRequestHeaders.Add("X-Api-Key", await AdminKeyAsync(product.Url, AdminPassword, cancellationToken));
            return product;
        }
        catch
        {
            await product.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every series' detection status (<c>GET /api/detection/series</c>).</summary>
    public static async Task<SeriesStatus[]> SeriesAsync(ProductProcess product, CancellationToken cancellationToken) =>
        await product.Http.GetFromJsonAsync<SeriesStatus[]>("api/detection/series", Json, cancellationToken) ?? [];

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Signs in through the login form (cookie), then creates an admin API key with it, as an operator would.</summary>
    public static async Task<string> AdminKeyAsync(Uri url, string adminPassword, CancellationToken cancellationToken)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = url };
        var page = await browser.GetStringAsync("login", cancellationToken);
        var token = WebUtility.HtmlDecode(TokenInput().Match(page).Groups[1].Value);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = "admin",
            ["Input.Password"] = adminPassword,
        });
        using (var signIn = await browser.PostAsync("login", form, cancellationToken))
        {
            if (signIn.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"Sign-in as admin answered {(int)signIn.StatusCode}.");
            }
        }
        using var create = new HttpRequestMessage(HttpMethod.Post, "api/keys") { Content = JsonContent.Create(new { name = "faults", role = "admin" }) };
        create.Headers.Add("Origin", url.GetLeftPart(UriPartial.Authority));
        using var created = await browser.SendAsync(create, cancellationToken);
        created.EnsureSuccessStatusCode();
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return body.GetProperty("text").GetString()!;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();

    /// <summary>What <c>GET /api/detection/series</c> says of one series.</summary>
    public sealed record SeriesStatus(string SeriesKey, bool Scoring, string? Reason, string? ClusterId, DateTimeOffset? LastScored);
}
