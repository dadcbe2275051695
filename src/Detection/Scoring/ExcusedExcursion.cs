namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// The forecast made just before a run of excused deviations (seen by the deviation memory, or recurring), so that the
/// point that undoes them is excused too: the fall back after a known nightly spike is forecast from the spike's top,
/// a forecast the series has rarely had, and the memory cannot match it, yet scored against the forecast made before
/// the spike it is ordinary.
/// </summary>
internal sealed class ExcusedExcursion
{
    private double _before = double.NaN;

    /// <summary>
    /// Whether <paramref name="value"/> moved from its <paramref name="forecast"/> towards the forecast made before the
    /// excursion and is back within <paramref name="notableDeviate"/> of it, in <paramref name="scale"/>s.
    /// </summary>
    public bool Returns(double value, double forecast, double scale, double notableDeviate) =>
        double.IsFinite(_before)
        && (value - forecast) * (_before - forecast) > 0
        && TailProbabilityCalibrator.Deviate(Math.Abs(value - _before) / scale) < notableDeviate;

    /// <summary>Follows the run: the first excused point's forecast is kept until a point that is not excused ends it.</summary>
    public void Observe(bool excused, double forecast) =>
        _before = !excused ? double.NaN : double.IsFinite(_before) ? _before : forecast;
}
