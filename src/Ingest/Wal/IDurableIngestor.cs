using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Ingest.Wal;

/// <summary>
/// The acknowledgement path of every external source (push protocols, pull): points go to the buffers, and the task
/// completes once the accepted ones are in the write-ahead log on disk. Answer a writer, or move a watermark, only
/// after it completes.
/// </summary>
public interface IDurableIngestor
{
    Task<IngestOutcome> IngestAsync(ReadOnlySpan<DataPoint> points, CancellationToken cancellationToken);
}
