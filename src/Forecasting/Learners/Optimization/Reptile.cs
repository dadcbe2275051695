using MetaAnomaly.Forecasting.Engine;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>
/// Reptile: adapt each task with plain SGD on its support, then move the initialisation towards the adapted weights.
/// No second derivatives and no graph through the inner loop.
/// </summary>
/// <remarks>
/// Nichol, Achiam and Schulman, "On First-Order Meta-Learning Algorithms", 2018.
/// The outer update feeds the pseudo-gradient theta - mean_t phi_t to Adam (the paper's batched variant uses a plain
/// outer step size; Adam on the pseudo-gradient is its common practical form). The inner loop runs on the support
/// pairs only, as serving does; the query pairs only measure the reported loss.
/// </remarks>
internal sealed class Reptile(string name, LearnerSettings settings) : GradientMetaLearner(name, settings)
{
    public override double MetaTrainStep(EpisodeBatch batch)
    {
        using var scope = NewDisposeScope();
        Tensor[] adaptedMeans;
        double queryLoss;
        using (no_grad())
        {
            using var adapted = (FastWeightBatch)Adapt(batch.Support);
            queryLoss = FunctionalMlp.TaskLosses(adapted.Predict(batch.Query.Inputs), batch.Query.Targets, batch.Query.Mask).mean().item<float>();
            adaptedMeans = adapted.Weights.Select(w => w.mean([0L], keepdim: true)).ToArray();
        }
        OuterStep(() => Initialisation.Tensors
            .Select((theta, i) => (theta * (theta.detach() - adaptedMeans[i])).sum())
            .Aggregate((a, b) => a.add(b, KeptScalars.One)));
        return queryLoss;
    }
}
