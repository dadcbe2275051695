using System.Collections.Concurrent;
using System.Text.Json;
using MetaAnomaly.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Dashboard.Tests.Support;

/// <summary>A real HTTP receiver on a free loopback port that keeps every JSON body posted to <see cref="Url"/>.</summary>
public sealed class LocalWebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonElement> _received = new();

    private LocalWebhookReceiver(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public IReadOnlyCollection<JsonElement> Received => _received;

    public static async Task<LocalWebhookReceiver> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new LocalWebhookReceiver(app, new Uri($"http://127.0.0.1:{port}/hook"));
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            receiver._received.Enqueue(body.RootElement.Clone());
            return Results.NoContent();
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The first body matching <paramref name="match"/>, waiting up to <paramref name="timeout"/>; null when none came.</summary>
    public async Task<JsonElement?> WaitForAsync(Func<JsonElement, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        do
        {
            foreach (var body in _received)
            {
                if (match(body))
                {
                    return body;
                }
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
