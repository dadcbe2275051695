using System.Text.Json.Serialization;

namespace MetaAnomaly.Shared.Forecasts;

/// <summary>Where a series' forecasts come from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ServingStage>))]
public enum ServingStage
{
    /// <summary>No model serves it: it is not scored (see the state's reason).</summary>
    NotServed,

    /// <summary>
    /// New, its period not known yet (or its cluster not able to adapt it yet): scored from the shared aperiodic
    /// initialisation with the previous-value anchor, or from the anchor alone while no shared model exists.
    /// </summary>
    ColdStart,

    /// <summary>Served by a cluster's model, adapted on the series' own latest period.</summary>
    Cluster,
}
