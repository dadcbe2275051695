using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.Demo;
using MetaAnomaly.Ingest.Status;
using MetaAnomaly.Ingest.Storage;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Shared.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Ingest.Extensions;

public static class IngestExtensions
{
    /// <summary>
    /// Registers ingestion: <see cref="IngestOptions"/> (section <c>Ingest</c>, validated at start), the series buffers
    /// (<see cref="ISeriesBuffers"/>, <see cref="IPointIngestor"/>), the SQLite <see cref="IStateDatabase"/> with its
    /// migrations, the buffer snapshot, <see cref="IIngestStatus"/>, and the sources: the demo replay when no InfluxDB
    /// is configured, else pull from InfluxDB and <see cref="IWriteBack"/> to it. The host maps <c>POST /write</c> with
    /// <c>app.MapInfluxWrite()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddIngest(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        foreach (var migration in IngestMigrations.All)
        {
            services.AddSingleton(migration);
        }
        services.TryAddSingleton<SqliteStateDatabase>();
        services.TryAddSingleton<IStateDatabase>(sp => sp.GetRequiredService<SqliteStateDatabase>());
        services.TryAddSingleton<WatermarkStore>();
        services.TryAddSingleton<BufferSnapshotStore>();

        services.TryAddSingleton<IngestCounters>();
        services.TryAddSingleton<SeriesBuffers>();
        services.TryAddSingleton<ISeriesBuffers>(sp => sp.GetRequiredService<SeriesBuffers>());
        services.TryAddSingleton<IPointIngestor>(sp => sp.GetRequiredService<SeriesBuffers>());
        services.TryAddSingleton<IngestStatus>();
        services.TryAddSingleton<IIngestStatus>(sp => sp.GetRequiredService<IngestStatus>());

        // Hosted services start in registration order: the snapshot restores the buffers before any source writes.
        services.AddHostedService<BufferSnapshotService>();

        var options = builder.Configuration.GetSection(IngestOptions.Section).Get<IngestOptions>() ?? new IngestOptions();
        if (options.DemoRuns)
        {
            services.AddHostedService<DemoSource>();
        }
        return builder;
    }
}
