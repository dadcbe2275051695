using System.Collections.Concurrent;
using MetaAnomaly.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Detection.Tests.Support;

/// <summary>
/// A real HTTP receiver on loopback Kestrel. Each path answers as told: <c>/ok</c> 200, <c>/fail</c> 500,
/// <c>/gone</c> 410, <c>/slow</c> after 5 s; <see cref="Answers"/> overrides a path's status. Records every request.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, int port)
    {
        _app = app;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public string BaseUrl { get; }

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public ConcurrentDictionary<string, int> Answers { get; } = new();

    public IReadOnlyList<ReceivedRequest> On(string path) => Requests.Where(r => r.Path == path).ToArray();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, port);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>A loopback URL where nothing listens (connection refused).</summary>
    public static string RefusingUrl() => $"http://127.0.0.1:{FreePort.Next()}/refused";

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var path = context.Request.Path.Value ?? "";
        Requests.Enqueue(new ReceivedRequest(path, body, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        if (path == "/slow")
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
        }
        context.Response.StatusCode = Answers.TryGetValue(path, out var status) ? status : path switch
        {
            "/fail" => 500,
            "/gone" => 410,
            _ => 200,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedRequest(string Path, string Body, IReadOnlyDictionary<string, string> Headers);
