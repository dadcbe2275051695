using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.ReadModel;

/// <summary>One cluster of series with the same period and a similar seasonal shape, as the dashboard shows it.</summary>
/// <param name="Id">Stable from day to day (for example <c>p24-a</c>, <c>aperiodic-a</c>).</param>
/// <param name="Period">In slots; 0 for the aperiodic cluster.</param>
/// <param name="Learner">The learner of the current meta-initialisation (null until one is trained).</param>
/// <param name="ModelVersion">Version of the current meta-initialisation in the model registry (null until trained).</param>
/// <param name="ValidationError">Held-out query MSE of that model, in normalised units.</param>
/// <param name="SeasonalProfile">The cluster's medoid profile: mean normalised value per phase slot (empty when aperiodic).</param>
/// <param name="Description">Human-readable: period, size, shape.</param>
public sealed record ClusterSummary(
    string Id,
    int Period,
    IReadOnlyList<SeriesKey> Members,
    string? Learner,
    int? ModelVersion,
    double? ValidationError,
    DateTimeOffset? ModelCreatedAt,
    IReadOnlyList<double> SeasonalProfile,
    string Description);
