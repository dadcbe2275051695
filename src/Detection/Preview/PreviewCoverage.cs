namespace MetaAnomaly.Detection.Preview;

/// <summary>
/// What a preview's range really covers: scored points are kept <see cref="Retention"/>
/// (<c>Detection:ScoreRetention</c>), so a range reaching further back replays only what is stored.
/// </summary>
/// <param name="StoredFrom">The first stored point replayed (null: none in the range).</param>
/// <param name="BeyondRetention">The range reaches further back than scores are kept: its start has no stored points.</param>
public sealed record PreviewCoverage(TimeSpan Retention, DateTimeOffset? StoredFrom, bool BeyondRetention)
{
    public static PreviewCoverage Of(TimeSpan retention, DateTimeOffset from, DateTimeOffset to, DateTimeOffset? storedFrom) =>
        new(retention, storedFrom, to - from > retention);

    /// <summary>The union of the members' coverages: the earliest stored point of any.</summary>
    public static PreviewCoverage Combine(TimeSpan retention, DateTimeOffset from, DateTimeOffset to, IEnumerable<PreviewCoverage> members) =>
        Of(retention, from, to, members.Select(m => m.StoredFrom).Where(s => s is not null).Min());
}
