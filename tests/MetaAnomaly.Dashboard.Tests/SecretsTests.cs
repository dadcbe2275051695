using System.Net;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Text.Json;
using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Dashboard.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Dashboard.Tests;

/// <summary>No secret in the logs (webhook URL paths, writer keys in <c>p=</c>) or in plain files (webhook secrets, file modes).</summary>
public sealed class SecretsTests
{
    [Fact]
    public async Task OutgoingRequestLogsNameTheHostButNotThePath()
    {
        await using var receiver = await LocalWebhookReceiver.StartAsync();
        var logs = new LogCapture();
        await using var host = new DashboardHost(VerboseLogging());
        await using var logged = host.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        using var client = logged.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, await CreateKeyAsync(logged, DashboardRoles.Admin));
        var secretPath = new Uri(receiver.Url, "/hook/T0000/B0000/slack-secret-path-42");
        var id = await CreateWebhookAsync(client, "slack", secretPath, secret: null);

        using var sent = await client.PostAsync($"/api/webhooks/{id}/test", null);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        // The webhook client has no HTTP logger (the dispatcher logs its failures); every other outgoing client has the host's.
        using var other = logged.Services.GetRequiredService<IHttpClientFactory>().CreateClient("influx");
        (await other.PostAsync(secretPath, null)).Dispose();

        Assert.Single(logs.Messages, m => m.Contains($"{receiver.Url.Scheme}://{receiver.Url.Authority}", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("slack-secret-path-42", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriterKeyInTheQueryIsNeverLogged()
    {
        var logs = new LogCapture();
        await using var host = new DashboardHost(VerboseLogging());
        await using var logged = host.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        var key = await CreateKeyAsync(logged, DashboardRoles.Writer);
        using var client = logged.CreateClient();

        using var written = await client.PostAsync($"/write?db=telegraf&u=telegraf&p={Uri.EscapeDataString(key)}&precision=s",
            new StringContent($"cpu,host=query-key usage=1 {DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\n"));
        Assert.Equal(HttpStatusCode.NoContent, written.StatusCode);

        Assert.Contains(logs.Messages, m => m.Contains("/write", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("u=telegraf", StringComparison.Ordinal) || m.Contains("db=telegraf", StringComparison.Ordinal));
        Assert.True(ApiKeySecret.TryParse(key, out var parsed));
        Assert.DoesNotContain(logs.Messages, m => m.Contains(parsed.Secret, StringComparison.Ordinal) || m.Contains(Uri.EscapeDataString(parsed.Secret), StringComparison.Ordinal));
    }

    [Fact]
    public async Task WebhookSecretIsStoredProtected()
    {
        var state = Directory.CreateTempSubdirectory("metaanomaly-secrets-").FullName;
        try
        {
            await using var host = new DashboardHost(DashboardHost.QuietSettings(), stateDirectory: state);
            using var client = host.CreateClient();
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, await host.CreateKeyAsync(DashboardRoles.Admin));
            await CreateWebhookAsync(client, "signed", new Uri("http://127.0.0.1:9/hook"), secret: "hmac-secret-at-rest");

            var stored = await StoredSecretAsync(state, "signed");
            Assert.StartsWith("protected:", stored, StringComparison.Ordinal);
            Assert.DoesNotContain("hmac-secret-at-rest", stored, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task PlainSecretOfAnOlderVersionIsProtectedAtStartAndStillSigns()
    {
        var state = Directory.CreateTempSubdirectory("metaanomaly-secrets-").FullName;
        try
        {
            await using (var first = new DashboardHost(DashboardHost.QuietSettings(), stateDirectory: state))
            {
                using var client = first.CreateClient();
                client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, await first.CreateKeyAsync(DashboardRoles.Admin));
                await CreateWebhookAsync(client, "legacy", new Uri("http://127.0.0.1:9/hook"), secret: "replaced-below");
            }
            await ExecuteAsync(state, "UPDATE detection_webhooks SET secret = 'legacy-plain-secret' WHERE name = 'legacy'");

            await using var second = new DashboardHost(DashboardHost.QuietSettings(), stateDirectory: state);
            second.StartServer();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!(await StoredSecretAsync(state, "legacy")).StartsWith("protected:", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            Assert.DoesNotContain("legacy-plain-secret", await StoredSecretAsync(state, "legacy"), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public async Task StateFilesAndKeysAreReadableByTheOwnerOnly()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        var state = Directory.CreateTempSubdirectory("metaanomaly-modes-").FullName;
        try
        {
            await using var host = new DashboardHost(DashboardHost.QuietSettings(), stateDirectory: state);
            host.StartServer();
            await host.SignInAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword);
            using var writer = host.CreateClient();
            writer.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, await host.CreateKeyAsync(DashboardRoles.Writer));
            using (var pushed = await writer.PostAsync("/write?db=telegraf&precision=s", new StringContent($"cpu,host=modes usage=1 {DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\n")))
            {
                Assert.Equal(HttpStatusCode.NoContent, pushed.StatusCode);
            }

            var written = Directory.GetFileSystemEntries(state, "*", SearchOption.AllDirectories);
            Assert.Contains(Path.Combine(state, "state.db"), written);
            Assert.Contains(written, path => path.StartsWith(Path.Combine(state, "keys"), StringComparison.Ordinal) && path.EndsWith(".xml", StringComparison.Ordinal));
            Assert.Contains(written, path => path.StartsWith(Path.Combine(state, "wal") + Path.DirectorySeparatorChar, StringComparison.Ordinal));
            const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            Assert.All(written.Where(Directory.Exists), path => Assert.True((File.GetUnixFileMode(path) & others) == 0, $"{path} is {File.GetUnixFileMode(path)}"));
            Assert.All(written.Where(File.Exists), path => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path)));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static Dictionary<string, string?> VerboseLogging()
    {
        var settings = DashboardHost.QuietSettings();
        settings["Logging:LogLevel:Default"] = "Trace";
        settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        settings["Logging:LogLevel:System.Net.Http"] = "Trace";
        return settings;
    }

    private static async Task<string> CreateKeyAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host, string role)
    {
        var accounts = (IAccountStore)host.Services.GetService(typeof(IAccountStore))!;
        return (await accounts.CreateApiKeyAsync("test-" + role, role, CancellationToken.None)).Text;
    }

    private static async Task<long> CreateWebhookAsync(HttpClient client, string name, Uri url, string? secret)
    {
        using var created = await client.PostAsJsonAsync("/api/webhooks", new { name, url = url.ToString(), secret, minSeverity = "Low" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("id").GetInt64();
    }

    private static async Task<string> StoredSecretAsync(string state, string name)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(state, "state.db")};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT secret FROM detection_webhooks WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string state, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(state, "state.db")};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
