namespace MetaAnomaly.Forecasting.Learners.Metric.Matching;

/// <param name="FullContextEmbeddings">
/// Embed the support set in the context of the whole set and the query in the context of the support, as in the
/// paper's FCE variant (costs about <see cref="FullContextEmbedding.ProcessingSteps"/> extra attention passes).
/// </param>
public sealed record MatchingOptions(bool FullContextEmbeddings = false);
