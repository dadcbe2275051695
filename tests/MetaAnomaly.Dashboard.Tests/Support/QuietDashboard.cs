namespace MetaAnomaly.Dashboard.Tests.Support;

/// <summary>One quiet host (no demo stream) shared by the tests of a class.</summary>
public sealed class QuietDashboard : IAsyncLifetime
{
    public DashboardHost Host { get; } = new(DashboardHost.QuietSettings());

    public Task InitializeAsync()
    {
        Host.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
