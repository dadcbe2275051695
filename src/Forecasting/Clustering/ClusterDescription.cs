using System.Globalization;

namespace MetaAnomaly.Forecasting.Clustering;

/// <summary>Human-readable text for a cluster: its period (as a duration when the step is known), size and shape.</summary>
public static class ClusterDescription
{
    public static string Describe(SeriesCluster cluster, TimeSpan? step)
    {
        var size = cluster.Members.Count == 1 ? "1 series" : $"{cluster.Members.Count} series";
        if (cluster.Period == 0)
        {
            return $"Aperiodic: {size} with no strong cycle.";
        }
        var duration = step is { } s ? $" ({Duration(s * cluster.Period)})" : "";
        var profile = cluster.Medoid;
        if (profile.Count == 0 || profile.All(v => v == 0))
        {
            return $"Cycle of {cluster.Period} slots{duration}: {size}, flat profile.";
        }
        var peak = Enumerable.Range(0, profile.Count).MaxBy(i => profile[i]);
        var trough = Enumerable.Range(0, profile.Count).MinBy(i => profile[i]);
        return $"Cycle of {cluster.Period} slots{duration}: {size}, peak at phase {Phase(peak, step)}, trough at phase {Phase(trough, step)}.";
    }

    private static string Phase(int slot, TimeSpan? step) => step is { } s
        ? $"{slot} (+{Duration(s * slot)})"
        : slot.ToString(CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } when span.TotalDays % 7 == 0 => $"{span.TotalDays / 7:0.##} week{(span.TotalDays == 7 ? "" : "s")}",
        { TotalHours: >= 1 } => span.TotalHours % 24 == 0 ? $"{span.TotalDays:0.##} day{(span.TotalDays == 1 ? "" : "s")}" : $"{span.TotalHours:0.##} h",
        { TotalMinutes: >= 1 } => $"{span.TotalMinutes:0.##} min",
        _ => $"{span.TotalSeconds:0.##} s",
    };
}
