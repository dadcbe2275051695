using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.Demo;
using MetaAnomaly.Ingest.Influx;
using MetaAnomaly.Ingest.Pull;
using MetaAnomaly.Ingest.Push;
using MetaAnomaly.Ingest.Push.Prometheus;
using MetaAnomaly.Ingest.Sources;
using MetaAnomaly.Ingest.WriteBack;
using MetaAnomaly.Ingest.LineProtocol;
using MetaAnomaly.Ingest.Status;
using MetaAnomaly.Ingest.Storage;
using MetaAnomaly.Ingest.Wal;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Shared.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace MetaAnomaly.Ingest.Extensions;

public static class IngestExtensions
{
    /// <summary>
    /// Registers ingestion: <see cref="IngestOptions"/> (section <c>Ingest</c>, validated at start), the series buffers
    /// (<see cref="ISeriesBuffers"/>, <see cref="IPointIngestor"/>), the SQLite <see cref="IStateDatabase"/> with its
    /// migrations, the write-ahead log behind <see cref="IDurableIngestor"/> (the acknowledgement path of push and
    /// pull), the buffer snapshot, <see cref="IIngestStatus"/>, and the sources: the demo replay when no InfluxDB
    /// is configured, else pull from InfluxDB and <see cref="IWriteBack"/> to it (InfluxDB.Client's write API and a
    /// ping health check for <c>Ingest:Influx:Version=2</c>; each source an <see cref="IIngestSource"/>,
    /// run by <see cref="IngestSourceRunner"/>), and the push protocols (each an <see cref="IPushProtocol"/>: InfluxDB
    /// 1.x <c>/write</c>, 2.x <c>/api/v2/write</c>
    /// and Prometheus remote-write <c>/api/v1/prom/write</c>), which the host maps with <see cref="MapIngestPush"/>.
    /// </summary>
    public static IHostApplicationBuilder AddIngest(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).PostConfigure(o => o.Influx.AddressBucket()).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        foreach (var migration in IngestMigrations.All)
        {
            services.AddSingleton(migration);
        }
        services.TryAddSingleton<SqliteStateDatabase>();
        services.TryAddSingleton<IStateDatabase>(sp => sp.GetRequiredService<SqliteStateDatabase>());
        services.TryAddSingleton<WatermarkStore>();
        services.TryAddSingleton<IWatermarkStore>(sp => sp.GetRequiredService<WatermarkStore>());
        services.TryAddSingleton<BufferSnapshotStore>();

        services.TryAddSingleton<IngestCounters>();
        services.TryAddSingleton(sp =>
        {
            var push = sp.GetRequiredService<IOptions<IngestOptions>>().Value.Push;
            return new SeriesKeyCache(push.MaxKeyBytes, push.KeyCacheMegabytes * 1024L * 1024, sp.GetRequiredService<SeriesBuffers>().Holds);
        });
        services.TryAddSingleton<SeriesBuffers>();
        services.TryAddSingleton<ISeriesBuffers>(sp => sp.GetRequiredService<SeriesBuffers>());
        services.TryAddSingleton<IPointIngestor>(sp => sp.GetRequiredService<SeriesBuffers>());
        services.TryAddSingleton<WriteAheadLog>();
        services.TryAddSingleton<IDurableIngestor, DurableIngestor>();
        services.TryAddSingleton<IngestStatus>();
        services.TryAddSingleton<IIngestStatus>(sp => sp.GetRequiredService<IngestStatus>());
        services.AddHealthChecks().AddCheck<IngestHealthCheck>("ingest");

        // Hosted services start in registration order: the snapshot restores the buffers before any source writes.
        services.AddHostedService<BufferSnapshotService>();

        services.TryAddSingleton<InfluxClient>();
        services.TryAddSingleton<InfluxV2Connection>();
        var resiliencePipeline = services.AddHttpClient(InfluxClient.HttpClientName)
            .ConfigureHttpClient((sp, http) => InfluxClient.Configure(http, sp.GetRequiredService<IOptions<IngestOptions>>().Value.Influx))
            .AddStandardResilienceHandler();
        services.AddOptions<HttpStandardResilienceOptions>(resiliencePipeline.PipelineName)
            .Configure<IOptions<IngestOptions>>((resilience, ingest) =>
            {
                var timeout = ingest.Value.Influx.Timeout;
                resilience.Retry.MaxRetryAttempts = ingest.Value.Influx.MaxRetries;
                resilience.Retry.ShouldRetryAfterHeader = true;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                resilience.Retry.BackoffType = DelayBackoffType.Exponential;
                resilience.Retry.UseJitter = true;
                resilience.AttemptTimeout.Timeout = timeout;
                resilience.TotalRequestTimeout.Timeout = timeout * 4;
                resilience.CircuitBreaker.SamplingDuration = timeout * 2 + TimeSpan.FromSeconds(1);
            });

        services.TryAddSingleton<PushEndpoint>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPushProtocol, InfluxV1Write>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPushProtocol, InfluxV2Write>());
        services.TryAddSingleton(provider =>
        {
            var push = provider.GetRequiredService<IOptions<IngestOptions>>().Value.Push;
            return new RemoteWriteDecoder(push.MaxKeyBytes, push.KeyCacheMegabytes * 1024L * 1024);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPushProtocol, PrometheusRemoteWrite>());

        var options = builder.Configuration.GetSection(IngestOptions.Section).Get<IngestOptions>() ?? new IngestOptions();
        if (options.DemoRuns)
        {
            services.AddSingleton<IIngestSource, DemoSource>();
        }
        if (options.HasInflux && options.Pull.Enabled != false)
        {
            services.AddSingleton<IIngestSource, InfluxPullSource>();
        }
        services.AddHostedService<IngestSourceRunner>();
        var influxV2 = options.HasInflux && options.Influx.Version == 2;
        if (influxV2)
        {
            services.AddHealthChecks().AddCheck<InfluxV2HealthCheck>("influxdb");
        }
        if (options.HasInflux && options.WriteBack.Enabled)
        {
            if (influxV2)
            {
                services.AddSingleton<IWriteBack, InfluxV2WriteBack>();
            }
            else
            {
                services.AddSingleton<IWriteBack, InfluxWriteBack>();
            }
        }
        return builder;
    }

    /// <summary>
    /// Maps <c>POST</c> at the route of every registered <see cref="IPushProtocol"/>. With a
    /// <paramref name="writerPolicy"/>, a request's identity must meet it (401 without one, 403 when it falls short),
    /// answered in the protocol's error shape; <c>Ingest:Push:Token</c>, when set, is required as well.
    /// </summary>
    public static IEndpointRouteBuilder MapIngestPush(this IEndpointRouteBuilder endpoints, string? writerPolicy = null)
    {
        foreach (var protocol in endpoints.ServiceProvider.GetServices<IPushProtocol>())
        {
            endpoints.MapPost(protocol.Route, (HttpContext context, PushEndpoint push) => push.HandleAsync(context, protocol, writerPolicy))
                .WithName(protocol.Name)
                .WithSummary(protocol.Summary)
                .Produces(StatusCodes.Status204NoContent)
                .Produces(StatusCodes.Status400BadRequest)
                .Produces(StatusCodes.Status401Unauthorized)
                .Produces(StatusCodes.Status403Forbidden)
                .Produces(StatusCodes.Status413PayloadTooLarge);
        }
        return endpoints;
    }
}
