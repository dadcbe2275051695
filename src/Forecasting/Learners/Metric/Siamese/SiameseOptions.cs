namespace MetaAnomaly.Forecasting.Learners.Metric.Siamese;

/// <param name="Neighbours">k of the k-nearest-neighbour read-out.</param>
/// <param name="TargetBandwidth">
/// β, in normalised units: pairs whose next values differ by β have similarity e^(−1/2) in the contrastive loss.
/// </param>
/// <param name="Margin">m: dissimilar pairs are pushed apart until their embeddings are this far.</param>
public sealed record SiameseOptions(
    int Neighbours = SiameseOptions.Defaults.Neighbours,
    double TargetBandwidth = SiameseOptions.Defaults.TargetBandwidth,
    double Margin = SiameseOptions.Defaults.Margin)
{
    public static class Defaults
    {
        public const int Neighbours = 5;
        public const double TargetBandwidth = 0.25;
        public const double Margin = 1.0;
    }
}
