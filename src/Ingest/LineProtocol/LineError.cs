namespace MetaAnomaly.Ingest.LineProtocol;

/// <summary>A malformed line: its 1-based number in the body and the reason.</summary>
public readonly record struct LineError(int Line, string Reason)
{
    public override string ToString() => $"line {Line}: {Reason}";
}
