using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Metric.Siamese;

/// <summary>Siamese networks for one-step forecasting: a contrastively trained encoder, then k-nearest-neighbour regression.</summary>
/// <remarks>
/// Koch et al., "Siamese Neural Networks for One-shot Image Recognition", ICML deep learning workshop 2015, with the
/// contrastive loss of Hadsell, Chopra and LeCun, CVPR 2006. The original learns a verification metric on pairs
/// labelled same/different and classifies a query by its nearest support example. Regression replaces the binary
/// label with a soft one from the pair's next values, sᵢⱼ = exp(−(yᵢ − yⱼ)² / 2β²) (β =
/// <see cref="SiameseOptions.TargetBandwidth"/>), over all observed pairs of one task's support and query windows:
/// L = mean of sᵢⱼ dᵢⱼ² + (1 − sᵢⱼ) max(0, m − dᵢⱼ)², d the Euclidean distance of the embeddings. The encoder never
/// sees the forecasting loss. The forecast is inverse-distance-weighted k-nearest-neighbour regression over the
/// observed support pairs (k = <see cref="SiameseOptions.Neighbours"/>): a convex combination of support targets.
/// <see cref="IMetaLearner.MetaTrainStep"/> reports that forecast's query error, while it steps on L.
/// </remarks>
internal sealed class SiameseNetworks(LearnerSettings settings, SiameseOptions options)
    : MetricLearner<SiameseModules>(SiameseNetworksFactory.LearnerName, settings, () => new SiameseModules(settings))
{
    private const double DistanceFloor = 1e-6;
    private static readonly Scalar SquaredDistanceFloor = (DistanceFloor * DistanceFloor).ToScalar();
    private static readonly Scalar KeptDistanceFloor = DistanceFloor.ToScalar();
    private static readonly Scalar SmallestWeightSum = float.Epsilon.ToScalar();

    protected override Tensor Predict(EmbeddedSupport support, Tensor queryInputs)
    {
        using var scope = NewDisposeScope();
        var query = Network.Encoder.forward(queryInputs);
        var distances = Distances(query, support.Embeddings)
            .Fill(support.Mask.unsqueeze(1).logical_not(), double.PositiveInfinity);
        var neighbours = (int)Math.Min(options.Neighbours, distances.shape[2]);
        var (nearest, indices) = distances.topk(neighbours, dim: -1, largest: false);
        var targets = support.Targets.unsqueeze(1).expand(distances.shape).gather(-1, indices);
        var weights = nearest.add(KeptDistanceFloor, KeptScalars.One).reciprocal();
        weights = weights / weights.sum(-1, keepdim: true).clamp_min(SmallestWeightSum);
        return (weights * targets).sum(-1).MoveToOuterDisposeScope();
    }

    protected override Tensor TrainingLoss(EpisodeBatch batch, EmbeddedSupport support, Tensor queryLoss)
    {
        using var scope = NewDisposeScope();
        var (queryObserved, queryTargets) = EmbeddedSupport.ObservedTargets(batch.Query);
        var query = Network.Encoder.forward(EmbeddedSupport.ObservedInputs(batch.Query, queryObserved));
        var embeddings = cat([support.Embeddings, query], 1);
        var targets = cat([support.Targets, queryTargets], 1);
        var observed = cat([support.Mask, queryObserved], 1);

        var squared = SquaredDistances(embeddings, embeddings);
        var distances = squared.add(SquaredDistanceFloor, KeptScalars.One).sqrt();
        var bandwidth = options.TargetBandwidth;
        using var similarityScale = (-2 * bandwidth * bandwidth).ToScalar();
        using var margin = options.Margin.ToScalar();
        var similarity = (targets.unsqueeze(2) - targets.unsqueeze(1)).pow(KeptScalars.Two).div(similarityScale).exp();
        var dissimilarity = similarity.negative().add(KeptScalars.One, KeptScalars.One);
        var shortfall = distances.negative().add(margin, KeptScalars.One).clamp_min(KeptScalars.Zero);
        var pairLoss = (similarity * squared).add(dissimilarity * shortfall.pow(KeptScalars.Two), KeptScalars.One);

        var count = embeddings.shape[1];
        var pairs = (observed.unsqueeze(2) & observed.unsqueeze(1)
            & eye(count, dtype: ScalarType.Bool, device: embeddings.device).logical_not()).to_type(pairLoss.dtype);
        return ((pairLoss * pairs).sum() / pairs.sum().clamp_min(KeptScalars.One)).MoveToOuterDisposeScope();
    }

    private static Tensor Distances(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return SquaredDistances(a, b).add(SquaredDistanceFloor, KeptScalars.One).sqrt().MoveToOuterDisposeScope();
    }

    /// <summary>‖aᵢ − bⱼ‖² for [T, A, E] and [T, B, E]: [T, A, B].</summary>
    private static Tensor SquaredDistances(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var norms = a.pow(KeptScalars.Two).sum(-1).unsqueeze(2).add(b.pow(KeptScalars.Two).sum(-1).unsqueeze(1), KeptScalars.One);
        var squared = norms - bmm(a, b.transpose(1, 2)).mul(KeptScalars.Two);
        return squared.clamp_min(KeptScalars.Zero).MoveToOuterDisposeScope();
    }
}
