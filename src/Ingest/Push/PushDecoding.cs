using MetaAnomaly.Ingest.LineProtocol;

namespace MetaAnomaly.Ingest.Push;

/// <summary>
/// What decoding one pushed body found besides its points: the malformed parts (counted as rejected lines, listed as
/// <see cref="Problems"/> in the partial-write answer) and the values that are not numbers (counted and skipped).
/// </summary>
public sealed record PushDecoding(int Malformed, IReadOnlyList<string> Problems, int NonNumericFields)
{
    /// <summary>A line-protocol body: malformed lines by number and reason.</summary>
    public static PushDecoding FromLines(DecodeSummary summary) =>
        new(summary.MalformedLines, summary.Errors.Select(e => e.ToString()).ToArray(), summary.NonNumericFields);
}
