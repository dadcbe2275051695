namespace MetaAnomaly.Detection.Services;

/// <summary>Whether a series is being scored and, when not, why (model missing, warming up, no regular step).</summary>
public sealed record SeriesDetectionStatus(string SeriesKey, bool Scoring, string? Reason, string? ClusterId, DateTimeOffset? LastScored);
