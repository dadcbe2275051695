namespace MetaAnomaly.Ingest.LineProtocol;

/// <summary>A stretch of the parsed line's bytes (still escaped).</summary>
public readonly record struct Segment(int Start, int Length)
{
    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> line) => line.Slice(Start, Length);
}

/// <summary>One field of a parsed line: its raw key and its typed value (a string value as a raw segment).</summary>
public readonly record struct ParsedField(Segment Key, FieldKind Kind, double Number, long Integer, ulong Unsigned, Segment Text);

/// <summary>
/// The result of parsing one line, as segments of the line's bytes, reused from line to line so that the hot path
/// allocates nothing. <see cref="Series"/> is the raw measurement-and-tags part.
/// </summary>
public sealed class ParsedLine
{
    public Segment Measurement { get; internal set; }

    public Segment Series { get; internal set; }

    public List<(Segment Key, Segment Value)> Tags { get; } = [];

    public List<ParsedField> Fields { get; } = [];

    /// <summary>In the write's precision units; null when the line has none.</summary>
    public long? Timestamp { get; internal set; }

    internal void Clear()
    {
        Tags.Clear();
        Fields.Clear();
        Timestamp = null;
    }
}
