using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Metric.Matching;
using MetaAnomaly.Forecasting.Learners.Metric.Prototypical;
using MetaAnomaly.Forecasting.Learners.Metric.Relation;
using MetaAnomaly.Forecasting.Learners.Metric.Siamese;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners.Metric;

/// <summary>The metric learners under test, by case name, and a small seeded set-up to build them with.</summary>
public static class MetricLearnerCases
{
    public const string MatchingWithFullContext = "matching-fce";

    public static TheoryData<string> All => new(
        MatchingNetworksFactory.LearnerName, MatchingWithFullContext, PrototypicalNetworksFactory.LearnerName,
        RelationNetworksFactory.LearnerName, SiameseNetworksFactory.LearnerName);

    /// <summary>
    /// The variants the registry does not hold, so the learner contract (<see cref="LearnerContractTests"/>) does not
    /// reach them: its save/load, slice/restack, seeded-run and CUDA checks are repeated for them here.
    /// </summary>
    public static TheoryData<string> Unregistered => new(MatchingWithFullContext);

    /// <summary>The learners whose forecast is by construction a convex combination of the support targets.</summary>
    public static TheoryData<string> Convex => new(
        MatchingNetworksFactory.LearnerName, MatchingWithFullContext, RelationNetworksFactory.LearnerName,
        SiameseNetworksFactory.LearnerName);

    internal static IMetaLearner Create(string name, int inputSize, int seed = 7, Device? device = null)
    {
        var settings = new LearnerSettings(inputSize, device ?? CPU, seed, [32, 32], MetaLearningRate: 0.003);
        return name switch
        {
            MatchingWithFullContext => new MatchingNetworks(settings, new MatchingOptions(FullContextEmbeddings: true)),
            _ => Factories.Single(f => f.Name == name).Create(settings),
        };
    }

    private static readonly IMetaLearnerFactory[] Factories =
    [
        new MatchingNetworksFactory(), new PrototypicalNetworksFactory(), new RelationNetworksFactory(),
        new SiameseNetworksFactory(),
    ];
}
