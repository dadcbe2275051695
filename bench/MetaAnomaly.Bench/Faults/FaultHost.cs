using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.Extensions;
using MetaAnomaly.Shared.Series;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Bench.Faults;

/// <summary>
/// The product's ingestion as the host composes it (<c>AddIngest</c>, <c>MapIngestPush</c>), in a process of its own
/// that the scenarios kill with SIGKILL, plus <c>GET /faults/held</c>: what the buffers hold. Settings come as
/// <c>--Key=value</c> arguments.
/// </summary>
internal static class FaultHost
{
    public const string Argument = "host";

    public static async Task RunAsync(IReadOnlyList<string> settings, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = settings.ToArray(), EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.AddIngest();
        var app = builder.Build();
        app.MapIngestPush();
        app.MapGet("/faults/held", (ISeriesBuffers buffers, IOptions<IngestOptions> options) =>
        {
            var series = buffers.ListSeries();
            return Results.Json(new Held(series.Count, series.Sum(s => Math.Min(s.PointCount, options.Value.Buffers.Capacity))));
        });
        await app.StartAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
    }

    public sealed record Held(int Series, long Points);
}
