using System.Buffers;
using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Ingest.Wal;

/// <summary>
/// <see cref="IDurableIngestor"/> over the buffers and the <see cref="WriteAheadLog"/>: a batch is applied first, then
/// its accepted points are logged, so a segment closed by <see cref="WriteAheadLog.RotateAsync"/> only holds points a
/// snapshot taken after it already contains.
/// </summary>
internal sealed class DurableIngestor(SeriesBuffers buffers, WriteAheadLog log) : IDurableIngestor
{
    public Task<IngestOutcome> IngestAsync(ReadOnlySpan<DataPoint> points, CancellationToken cancellationToken)
    {
        var accepted = ArrayPool<DataPoint>.Shared.Rent(points.Length);
        try
        {
            var outcome = buffers.Ingest(points, accepted);
            return outcome.Accepted == 0
                ? Task.FromResult(outcome)
                : Logged(log.AppendAsync(accepted.AsSpan(0, outcome.Accepted), cancellationToken), outcome);
        }
        finally
        {
            ArrayPool<DataPoint>.Shared.Return(accepted, clearArray: true);
        }
    }

    private static async Task<IngestOutcome> Logged(Task appended, IngestOutcome outcome)
    {
        await appended;
        return outcome;
    }
}
