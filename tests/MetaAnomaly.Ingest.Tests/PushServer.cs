using System.Collections.Concurrent;
using MetaAnomaly.Ingest.Extensions;
using MetaAnomaly.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Ingest.Tests;

/// <summary>
/// A real Kestrel host on a free loopback port with <c>AddIngest()</c> and <c>MapIngestPush()</c>; it notes the
/// <c>Content-Encoding</c> of every request, so tests see what a client library really sent.
/// </summary>
internal sealed class PushServer : IAsyncDisposable
{
    private PushServer(WebApplication app, Uri url)
    {
        App = app;
        Url = url;
    }

    public WebApplication App { get; }

    public Uri Url { get; }

    public IServiceProvider Services => App.Services;

    public ConcurrentBag<string> ContentEncodings { get; } = [];

    public static async Task<PushServer> StartAsync(string contentRoot, IDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Ingest:Demo:Enabled"] = "false" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        var url = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        builder.WebHost.UseUrls(url.ToString());
        builder.AddIngest();
        var app = builder.Build();
        var server = new PushServer(app, url);
        app.Use((context, next) =>
        {
            server.ContentEncodings.Add(context.Request.Headers.ContentEncoding.ToString());
            return next(context);
        });
        app.MapIngestPush();
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
