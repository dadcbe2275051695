namespace MetaAnomaly.Forecasting.Learners.Metric;

/// <summary>A metric learner's trainable modules: the shared window encoder plus the learner's own head.</summary>
internal interface IMetricNetwork
{
    WindowEncoder Encoder { get; }
}
