namespace MetaAnomaly.Ingest.LineProtocol;

/// <summary>One line of line protocol, unescaped. <see cref="Timestamp"/> is in nanoseconds since the Unix epoch.</summary>
public sealed record LinePoint(
    string Measurement,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    IReadOnlyList<KeyValuePair<string, FieldValue>> Fields,
    long? Timestamp)
{
    public bool Equals(LinePoint? other) =>
        other is not null && Measurement == other.Measurement && Timestamp == other.Timestamp
        && Tags.SequenceEqual(other.Tags) && Fields.SequenceEqual(other.Fields);

    public override int GetHashCode() => HashCode.Combine(Measurement, Timestamp, Tags.Count, Fields.Count);
}
