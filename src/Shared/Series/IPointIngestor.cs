namespace MetaAnomaly.Shared.Series;

/// <summary>Write side of the series buffers: every source (demo, pull, push) hands its points here.</summary>
public interface IPointIngestor
{
    IngestOutcome Ingest(ReadOnlySpan<DataPoint> points);
}

/// <summary>How many points were accepted and how many were skipped, by reason.</summary>
/// <param name="SkippedOutOfRange">Outside the plausible timestamp range.</param>
/// <param name="SkippedOverCapacity">Of new series beyond the buffers' series budget.</param>
/// <param name="SkippedTooOld">Older than the oldest slot their series' ring holds.</param>
public readonly record struct IngestOutcome(int Accepted, int SkippedNotFinite, int SkippedOutOfRange, int SkippedOverCapacity, int SkippedTooOld = 0)
{
    public int Skipped => SkippedNotFinite + SkippedOutOfRange + SkippedOverCapacity + SkippedTooOld;

    public static IngestOutcome operator +(IngestOutcome a, IngestOutcome b) => new(
        a.Accepted + b.Accepted,
        a.SkippedNotFinite + b.SkippedNotFinite,
        a.SkippedOutOfRange + b.SkippedOutOfRange,
        a.SkippedOverCapacity + b.SkippedOverCapacity,
        a.SkippedTooOld + b.SkippedTooOld);
}
