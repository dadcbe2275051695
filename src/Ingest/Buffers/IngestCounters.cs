using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Ingest.Buffers;

/// <summary>Running totals of what every source handed to the buffers, for the ingestion status.</summary>
public sealed class IngestCounters
{
    private long _accepted;
    private long _notFinite;
    private long _outOfRange;
    private long _overCapacity;
    private long _tooOld;
    private long _rejectedLines;
    private long _nonNumericFields;

    public long Accepted => Interlocked.Read(ref _accepted);

    public long SkippedNotFinite => Interlocked.Read(ref _notFinite);

    public long SkippedOutOfRange => Interlocked.Read(ref _outOfRange);

    /// <summary>Points of new series refused because the series budget is full.</summary>
    public long SkippedOverCapacity => Interlocked.Read(ref _overCapacity);

    /// <summary>Points older than the oldest slot of their series' ring.</summary>
    public long SkippedTooOld => Interlocked.Read(ref _tooOld);

    /// <summary>Malformed line-protocol lines.</summary>
    public long RejectedLines => Interlocked.Read(ref _rejectedLines);

    /// <summary>String and boolean fields, which are not series.</summary>
    public long NonNumericFields => Interlocked.Read(ref _nonNumericFields);

    public void Add(IngestOutcome outcome)
    {
        Interlocked.Add(ref _accepted, outcome.Accepted);
        Interlocked.Add(ref _notFinite, outcome.SkippedNotFinite);
        Interlocked.Add(ref _outOfRange, outcome.SkippedOutOfRange);
        Interlocked.Add(ref _overCapacity, outcome.SkippedOverCapacity);
        Interlocked.Add(ref _tooOld, outcome.SkippedTooOld);
    }

    public void AddRejectedLines(long count) => Interlocked.Add(ref _rejectedLines, count);

    public void AddNonNumericFields(long count) => Interlocked.Add(ref _nonNumericFields, count);
}
