namespace MetaAnomaly.Bench.Corpus;

/// <summary>The anomaly types of the literature the corpus injects, one category (folder) each.</summary>
internal enum AnomalyKind
{
    /// <summary>One point beyond the series' whole range (above its maximum or below its minimum).</summary>
    GlobalSpike,

    /// <summary>One point with a value normal for the series but wrong for its time of day (the value 12 hours earlier).</summary>
    ContextualSpike,

    /// <summary>A level shift that stays to the end of the file.</summary>
    LevelShift,

    /// <summary>A level shift that returns after 2 to 24 hours.</summary>
    TransientLevelShift,

    /// <summary>Extra normal noise for 6 to 24 hours.</summary>
    VarianceBurst,

    /// <summary>A stuck sensor: one value repeated for 6 to 24 hours (at least 12 points).</summary>
    Flatline,

    /// <summary>A change of slope: a ramp over 1 to 3 days to a new level that stays (a drift to failure on temperatures).</summary>
    TrendChange,

    /// <summary>One day whose daily pattern is shifted by half a day or missing.</summary>
    SeasonalityBreak,
}

internal static class AnomalyKinds
{
    /// <summary>The corpus category (folder) of the series that carry this kind.</summary>
    public static string Category(this AnomalyKind kind) => kind switch
    {
        AnomalyKind.GlobalSpike => "spike_global",
        AnomalyKind.ContextualSpike => "spike_contextual",
        AnomalyKind.LevelShift => "level_shift",
        AnomalyKind.TransientLevelShift => "level_shift_transient",
        AnomalyKind.VarianceBurst => "variance_burst",
        AnomalyKind.Flatline => "flatline",
        AnomalyKind.TrendChange => "trend_change",
        AnomalyKind.SeasonalityBreak => "seasonality_break",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
