using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Bench.Faults;

/// <summary>
/// A webhook receiver on a fixed loopback port that is down (nothing listens: connection refused), then answers 500,
/// then takes deliveries (204), keeping the Idempotency-Key of each one taken.
/// </summary>
internal sealed class FlakyWebhookReceiver : IAsyncDisposable
{
    private readonly int _port = LoopbackPort.Free();
    private readonly ConcurrentDictionary<string, int> _taken = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private volatile bool _healthy;

    public Uri Url => new($"http://127.0.0.1:{_port}/hook");

    /// <summary>Idempotency keys taken (answered 204) and how often each came.</summary>
    public IReadOnlyDictionary<string, int> Taken => _taken;

    /// <summary>From now on the port answers every request 500.</summary>
    public async Task FailAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        _app = builder.Build();
        _app.MapPost("/hook", (HttpRequest request) =>
        {
            if (!_healthy)
            {
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            }
            _taken.AddOrUpdate(request.Headers["Idempotency-Key"].ToString(), 1, (_, n) => n + 1);
            return Results.NoContent();
        });
        await _app.StartAsync();
    }

    /// <summary>From now on deliveries are taken.</summary>
    public void Recover() => _healthy = true;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
