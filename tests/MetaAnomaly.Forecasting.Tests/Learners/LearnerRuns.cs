using MetaAnomaly.Forecasting.Learners;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners;

/// <summary>The small seeded runs the learner tests share: meta-training steps, forecasts, support loss, state copies.</summary>
internal static class LearnerRuns
{
    public static double[] MetaTrain(IMetaLearner learner, int steps, int seed = 1000)
    {
        var losses = new double[steps];
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            using var episode = SyntheticTasks.Episode(tasks: 8, seed: seed + step);
            losses[step] = learner.MetaTrainStep(episode.Batch);
        }
        return losses;
    }

    public static void CopyMetaState(IMetaLearner from, IMetaLearner to)
    {
        using var stream = new MemoryStream();
        from.Save(stream);
        stream.Position = 0;
        to.Load(stream);
    }

    /// <summary>Adapts to the support and forecasts the query: [T * Q] values.</summary>
    public static float[] Forecasts(IMetaLearner learner, EpisodeBatch tasks)
    {
        using var scope = NewDisposeScope();
        using var adapted = learner.Adapt(tasks.Support);
        return Values(adapted.Predict(tasks.Query.Inputs));
    }

    /// <summary>Mean squared error of the adapted forecasts on the support pairs themselves.</summary>
    public static double SupportLoss(IMetaLearner learner, TaskSet support)
    {
        using var scope = NewDisposeScope();
        using var adapted = learner.Adapt(support);
        return (adapted.Predict(support.Inputs) - support.Targets).square().mean().item<float>();
    }

    public static float[] Values(Tensor values) => values.cpu().data<float>().ToArray();
}
