namespace MetaAnomaly.Forecasting.Learners.Model.Snail;

/// <summary>
/// SNAIL (Mishra et al. 2018) as a few-shot forecaster: adapting is running the causal network over the support
/// pairs and keeping their activations; see <see cref="SnailNetwork"/>.
/// </summary>
internal sealed class Snail(LearnerSettings settings)
    : ModelLearner<SnailNetwork>(SnailFactory.LearnerName, settings, generator => new SnailNetwork(SnailShape.For(settings), generator))
{
    protected override SupportReading Read(TaskSet support)
    {
        var sequence = SupportSequence.RightAligned(support);
        return SnailReading.Of(Network, Network.Read(sequence), sequence.Mask);
    }

    protected override SupportReading Restore(IReadOnlyList<NamedState> state) => new SnailReading(Network, state);
}
