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
    public void Dispose() => Model.Dispose();
}
