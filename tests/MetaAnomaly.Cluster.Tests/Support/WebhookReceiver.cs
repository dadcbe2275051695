using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using MetaAnomaly.Testing;

namespace MetaAnomaly.Cluster.Tests.Support;

/// <summary>
/// A webhook endpoint on a loopback port: answers every delivery 204 and counts each <c>Idempotency-Key</c>, with the
/// type and series of its payload.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Delivery> _taken = new(StringComparer.Ordinal);
    private Task _serving = Task.CompletedTask;

    /// <param name="listening">False: the endpoint is down (nothing listens on its port) until <see cref="Start"/>.</param>
    public WebhookReceiver(bool listening = true)
    {
        Url = new Uri($"http://127.0.0.1:{FreePort.Next()}/hook/");
        _listener.Prefixes.Add(Url.ToString());
        if (listening)
        {
            Start();
        }
    }

    public void Start()
    {
        _listener.Start();
        _serving = ServeAsync();
    }

    public Uri Url { get; }

    /// <summary>Every idempotency key taken, with how often it came.</summary>
    public IReadOnlyDictionary<string, Delivery> Taken => _taken;

    public sealed record Delivery(string Type, string Series, int Count);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using (var body = await JsonDocument.ParseAsync(context.Request.InputStream))
            {
                var type = body.RootElement.GetProperty("type").GetString()!;
                var series = body.RootElement.GetProperty("anomaly").GetProperty("seriesKey").GetString()!;
                _taken.AddOrUpdate(context.Request.Headers["Idempotency-Key"] ?? "", new Delivery(type, series, 1), (_, d) => d with { Count = d.Count + 1 });
            }
            context.Response.StatusCode = (int)HttpStatusCode.NoContent;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener.IsListening)
        {
            _listener.Stop();
        }
        _listener.Close();
        await _serving;
    }
}
