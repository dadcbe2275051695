using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// One chunk of series adapted together: the batched adapted model (kept for serving), each series' normalisation
/// (the model works in those units), its residual scale and its forecast for the next horizon, in series units.
/// </summary>
public sealed record AdaptedChunk(
    IAdaptedBatch Model,
    IReadOnlyList<TaskNormalisation> Normalisations,
    double[] ResidualScales,
    double[][] Forecasts) : IDisposable
{
    /// <summary>Whether series <paramref name="task"/> serves its anchor alone (<see cref="AnchorFallback"/>).</summary>
    public bool ServesAnchor(int task) => Model is AnchorFallback fallback && fallback.AnchorOnly[task];

    public void Dispose() => Model.Dispose();
}
