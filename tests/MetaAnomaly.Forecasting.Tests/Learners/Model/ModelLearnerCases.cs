using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners.Model;

internal static class ModelLearnerCases
{
    private static readonly MetaLearnerRegistry Registry = MetaLearnerRegistry.CreateDefault();

    public static TheoryData<string> Names => new() { "mann", "metanet", "snail" };

    public static IMetaLearner Create(string name, double metaLearningRate = 0.001) =>
        Registry.Create(name, new LearnerSettings(SineEpisodes.Lags, CPU, 7, [24, 24], MetaLearningRate: metaLearningRate));

    public static float[] Values(Tensor tensor) => tensor.cpu().data<float>().ToArray();
}
