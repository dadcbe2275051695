namespace MetaAnomaly.Dashboard.Tests.Support;

/// <summary>A test class whose every test gets its own quiet host (no demo stream) served by Kestrel, for a browser.</summary>
public abstract class KestrelHostTests : IAsyncLifetime
{
    protected DashboardHost Host { get; } = new(DashboardHost.QuietSettings(), kestrel: true);

    public Task InitializeAsync()
    {
        Host.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
