namespace MetaAnomaly.Forecasting.ReadModel;

/// <summary>What the forecasting core is doing now, for the dashboard's progress display.</summary>
/// <param name="Stage">For example "detecting periods", "meta-training p24-a (maml)", "adapting p24-a".</param>
/// <param name="Fraction">Progress of that stage in [0, 1].</param>
public sealed record ForecastingActivity(string Stage, double Fraction, DateTimeOffset Since);
