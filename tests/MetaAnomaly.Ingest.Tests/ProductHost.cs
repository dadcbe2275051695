using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Ingest.Tests;

/// <summary>
/// The whole product (the Dashboard host with its API keys and access policies) on a loopback port Kestrel picks, quiet (no
/// demo stream), with its state in a temporary directory: for the push endpoints as the host composes them.
/// </summary>
internal sealed class ProductHost : WebApplicationFactory<Program>
{
    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("metaanomaly-ingest-product-").FullName;

    public ProductHost() => UseKestrel(LoopbackAnyPort.Port);

    /// <summary>Where the host listens; starts it when it has not started yet.</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    /// <summary>Creates an API key with the role and returns its text.</summary>
    public async Task<string> CreateKeyAsync(string role) =>
        (await Services.GetRequiredService<IAccountStore>().CreateApiKeyAsync($"test-{role}", role, CancellationToken.None)).Text;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Urls", LoopbackAnyPort.Url);
        builder.UseSetting("Ingest:Demo:Enabled", "false");
        builder.UseSetting("Ingest:StatePath", Path.Combine(_stateDirectory, "state.db"));
        builder.UseSetting("Dashboard:AdminPassword", "correct-horse-42");
        builder.UseSetting("Dashboard:KeysPath", Path.Combine(_stateDirectory, "keys"));
        builder.UseSetting("Forecasting:ModelDirectory", Path.Combine(_stateDirectory, "models"));
        builder.UseSetting("Forecasting:Device", "cpu");
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
