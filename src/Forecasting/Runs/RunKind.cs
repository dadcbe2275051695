namespace MetaAnomaly.Forecasting.Runs;

internal enum RunKind
{
    /// <summary>New and warming-up series: periods of the not yet clustered, joined to the nearest cluster.</summary>
    CatchUp,

    /// <summary>Every series: periods re-detected, full re-clustering, every cluster adapted (and refreshed when due).</summary>
    Full,

    /// <summary>Every series of one cluster adapted, on the current clustering.</summary>
    Cluster,

    /// <summary>One cluster meta-trained anew, then its series adapted.</summary>
    Retrain,
}
