namespace MetaAnomaly.Ingest.LineProtocol;

/// <summary>Timestamp precision of a write (<c>precision=</c>): the nanoseconds in one unit.</summary>
public static class Precision
{
    public const long Nanoseconds = 1;

    /// <summary>Nanoseconds per unit for <c>n, ns, u, us, µ, ms, s, m, h</c> (empty: ns); false for anything else.</summary>
    public static bool TryParse(string? text, out long nanosecondsPerUnit)
    {
        nanosecondsPerUnit = text switch
        {
            null or "" or "n" or "ns" => 1,
            "u" or "us" or "µ" or "µs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => 0,
        };
        return nanosecondsPerUnit != 0;
    }
}
