namespace MetaAnomaly.Forecasting.Learners;

public enum LearnerFamily
{
    Optimization,
    Metric,
    Model,
}
