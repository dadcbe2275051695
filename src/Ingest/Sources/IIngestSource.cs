namespace MetaAnomaly.Ingest.Sources;

/// <summary>
/// A source that produces points on its own schedule (the demo replay, the InfluxDB pull) and hands them to
/// <see cref="Shared.Series.IPointIngestor"/>; <see cref="IngestSourceRunner"/> runs every registered one. Sources that
/// are pushed to are <see cref="Push.IPushProtocol"/>s instead.
/// </summary>
public interface IIngestSource
{
    /// <summary>The name the ingest status and the logs show, for example <c>demo</c>.</summary>
    string Name { get; }

    /// <summary>Produces points until <paramref name="cancellationToken"/> is cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
