namespace MetaAnomaly.Forecasting.Learners.Model.MetaNetworks;

/// <summary>
/// Meta Networks (Munkhdalai and Yu 2017) as a few-shot forecaster: adapting turns the support's loss gradients into
/// a memory of example-level fast weights; see <see cref="MetaNetNetwork"/>. With FirstOrder the support gradients
/// enter the fast-weight generators as constants: meta-training does not differentiate through them.
/// </summary>
internal sealed class MetaNet(LearnerSettings settings)
    : ModelLearner<MetaNetNetwork>(MetaNetFactory.LearnerName, settings, generator => new MetaNetNetwork(MetaNetShape.For(settings), generator))
{
    protected override SupportReading Read(TaskSet support) =>
        new MetaNetReading(Network, Network.Read(SupportSequence.Clean(support), Settings.FirstOrder).ToState());

    protected override SupportReading Restore(IReadOnlyList<NamedState> state) => new MetaNetReading(Network, state);
}
