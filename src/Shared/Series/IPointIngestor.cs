namespace MetaAnomaly.Shared.Series;

/// <summary>Write side of the series buffers: every source (demo, pull, push) hands its points here.</summary>
public interface IPointIngestor
{
    IngestOutcome Ingest(ReadOnlySpan<DataPoint> points);
}

/// <summary>How many points were accepted and how many were skipped, by reason.</summary>
public readonly record struct IngestOutcome(int Accepted, int SkippedNotFinite, int SkippedOutOfRange, int SkippedOverCapacity)
{
    public int Skipped => SkippedNotFinite + SkippedOutOfRange + SkippedOverCapacity;

    public static IngestOutcome operator +(IngestOutcome a, IngestOutcome b) => new(
        a.Accepted + b.Accepted,
        a.SkippedNotFinite + b.SkippedNotFinite,
        a.SkippedOutOfRange + b.SkippedOutOfRange,
        a.SkippedOverCapacity + b.SkippedOverCapacity);
}
