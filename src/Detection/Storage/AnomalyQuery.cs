using MetaAnomaly.Detection.Events;

namespace MetaAnomaly.Detection.Storage;

/// <summary>Filter, sort and page of an anomaly listing. Every filter is optional.</summary>
/// <param name="Series">Exact series key, or a glob when it holds <c>*</c> (any text): <c>cpu*</c> a prefix, <c>*rds*</c> a substring.</param>
/// <param name="From">Events that end at or after this time.</param>
/// <param name="To">Events that start at or before this time.</param>
public sealed record AnomalyQuery(
    string? Series = null,
    string? ClusterId = null,
    AnomalySeverity? MinSeverity = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    bool? Open = null,
    AnomalyFeedbackKind? Feedback = null,
    AnomalySort Sort = AnomalySort.Start,
    bool Descending = true,
    int Page = 1,
    int PageSize = AnomalyQuery.Defaults.PageSize)
{
    /// <summary><see cref="Series"/> as a SQL <c>LIKE</c> pattern with <c>\</c> as its escape, when it is a glob (holds <c>*</c>); null otherwise.</summary>
    public string? SeriesLikePattern => Series is { } glob && glob.Contains('*', StringComparison.Ordinal)
        ? glob.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal).Replace('*', '%')
        : null;

    public static class Defaults
    {
        public const int PageSize = 100;
        public const int MaxPageSize = 1000;
    }
}

public enum AnomalySort
{
    Start,
    End,
    Severity,
    Score,
    Probability,
    Series,

    /// <summary>The 0-100 anomaly score (events stored before it come last).</summary>
    AnomalyScore,
}

/// <summary>One page of events and the total that matched.</summary>
public sealed record AnomalyPage(IReadOnlyList<AnomalyEvent> Items, int Total, int Page, int PageSize);
