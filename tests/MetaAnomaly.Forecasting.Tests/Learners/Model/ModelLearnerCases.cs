using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Model.Mann;
using MetaAnomaly.Forecasting.Learners.Model.MetaNetworks;
using MetaAnomaly.Forecasting.Learners.Model.Snail;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners.Model;

internal static class ModelLearnerCases
{
    public static TheoryData<string> Names => new() { "mann", "metanet", "snail" };

    public static IMetaLearner Create(string name, int seed = 7, Device? device = null, double metaLearningRate = 0.001)
    {
        var settings = new LearnerSettings(SineEpisodes.Lags, device ?? CPU, seed, [24, 24], MetaLearningRate: metaLearningRate);
        IMetaLearnerFactory factory = name switch
        {
            "mann" => new MannFactory(),
            "metanet" => new MetaNetFactory(),
            "snail" => new SnailFactory(),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a model learner."),
        };
        return factory.Create(settings);
    }

    public static float[] Values(Tensor tensor) => tensor.cpu().data<float>().ToArray();
}
