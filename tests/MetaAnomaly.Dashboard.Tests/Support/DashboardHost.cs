using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Dashboard.Tests.Support;

/// <summary>
/// The real product, in-process, with its state in a temporary directory. <see cref="Settings"/> override
/// configuration; with <paramref name="kestrel"/> it listens on a loopback port that Kestrel itself picks (for the
/// browser tests), so no other process can take the port between its choice and the bind.
/// </summary>
/// <remarks>A host given a <c>stateDirectory</c> leaves it in place (restart tests); otherwise its own is deleted.</remarks>
public sealed class DashboardHost(IReadOnlyDictionary<string, string?> settings, bool kestrel = false, string? stateDirectory = null)
    : WebApplicationFactory<Program>
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "correct-horse-42";

    private readonly string _stateDirectory = stateDirectory ?? Directory.CreateTempSubdirectory("metaanomaly-dashboard-").FullName;

    public IReadOnlyDictionary<string, string?> Settings { get; } = settings;

    /// <summary>Where the host listens; starts it when it has not started yet.</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    /// <summary>Settings that make the demo produce anomalies within a couple of minutes on a small machine.</summary>
    public static Dictionary<string, string?> FastDemoSettings()
    {
        var settings = QuietSettings();
        settings["Ingest:Demo:Enabled"] = "true";
        settings["Ingest:Demo:StepInterval"] = "00:00:00.020";
        settings["Forecasting:StartupDelay"] = "00:00:01";
        settings["Forecasting:CatchUpInterval"] = "00:00:05";
        settings["Forecasting:MetaTrainingSteps"] = "60";
        settings["Forecasting:MetaTrainingBudget"] = "00:00:04";
        settings["Forecasting:Device"] = "cpu";
        return settings;
    }

    /// <summary>Settings for a quiet host: no demo stream, admin account from configuration.</summary>
    public static Dictionary<string, string?> QuietSettings() => new()
    {
        ["Ingest:Demo:Enabled"] = "false",
        ["Dashboard:AdminPassword"] = AdminPassword,
    };

    public IAccountStore Accounts => Services.GetRequiredService<IAccountStore>();

    /// <summary>Creates an API key with the role and returns its text.</summary>
    public async Task<string> CreateKeyAsync(string role) => (await Accounts.CreateApiKeyAsync($"test-{role}", role, CancellationToken.None)).Text;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        // A loaded CI machine needs more than the default to save the buffers on stop.
        builder.UseSetting(WebHostDefaults.ShutdownTimeoutKey, "90");
        builder.UseSetting("Ingest:StatePath", Path.Combine(_stateDirectory, "state.db"));
        builder.UseSetting("Dashboard:KeysPath", Path.Combine(_stateDirectory, "keys"));
        builder.UseSetting("Forecasting:ModelDirectory", Path.Combine(_stateDirectory, "models"));
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        if (kestrel)
        {
            builder.UseSetting("Urls", LoopbackAnyPort.Url);
            UseKestrel(LoopbackAnyPort.Port);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (stateDirectory is not null)
        {
            return;
        }
        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
