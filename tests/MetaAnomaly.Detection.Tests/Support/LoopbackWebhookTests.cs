using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Detection.Tests.Support;

/// <summary>
/// What every webhook test starts from: a fresh state database, an HttpClient factory and a real receiver on
/// loopback, all disposed after the test.
/// </summary>
public abstract class LoopbackWebhookTests : IAsyncLifetime
{
    protected SqliteTestDatabase Database { get; } = new();

    protected ServiceProvider Http { get; } = new ServiceCollection().AddHttpClient().BuildServiceProvider();

    protected WebhookReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync() => Receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await Http.DisposeAsync();
        Database.Dispose();
    }
}
