namespace MetaAnomaly.Ingest.Push;

/// <summary>A refused or partial write: the HTTP status and the message for the client.</summary>
public readonly record struct PushFailure(int Status, string Message);
