namespace MetaAnomaly.Detection.Services;

/// <summary>One scoring tick over every series with new points; the scoring service runs it on a timer, a replay in data time.</summary>
public interface IScoringCycle
{
    /// <summary>Runs one tick; returns how many points were scored.</summary>
    Task<int> RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>Every known series' detection status, by series key.</summary>
    IReadOnlyList<SeriesDetectionStatus> Statuses { get; }
}
