using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Integration.Tests;

/// <summary>
/// The whole product on Kestrel at a loopback port Kestrel picks, without the demo stream, its state in a temporary folder:
/// for tests where outside programs (Prometheus, scrapers) talk to it over HTTP.
/// </summary>
internal sealed class QuietProduct : WebApplicationFactory<Program>
{
    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("metaanomaly-quiet-product-").FullName;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    /// <param name="settings">Settings on top of the quiet defaults.</param>
    public QuietProduct(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        UseKestrel(LoopbackAnyPort.Port);
    }

    /// <summary>A path on the host; starts it when it has not started yet.</summary>
    public Uri Url(string path)
    {
        StartServer();
        return new Uri(ClientOptions.BaseAddress, path);
    }

    /// <summary>Creates an API key with the role and returns its text.</summary>
    public async Task<string> CreateKeyAsync(string role) =>
        (await Services.GetRequiredService<IAccountStore>().CreateApiKeyAsync($"test-{role}", role, CancellationToken.None)).Text;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Urls", LoopbackAnyPort.Url);
        builder.UseSetting("Ingest:Demo:Enabled", "false");
        builder.UseSetting("Ingest:StatePath", Path.Combine(_stateDirectory, "state.db"));
        builder.UseSetting("Dashboard:AdminPassword", "integration-admin");
        builder.UseSetting("Dashboard:KeysPath", Path.Combine(_stateDirectory, "keys"));
        builder.UseSetting("Forecasting:ModelDirectory", Path.Combine(_stateDirectory, "models"));
        builder.UseSetting("Forecasting:Device", "cpu");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
