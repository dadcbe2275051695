using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model.Mann;

/// <summary>
/// Memory-augmented neural network (Santoro et al. 2016) as a few-shot forecaster: adapting is reading the support
/// sequence into the controller and the external memory; see <see cref="MannNetwork"/>.
/// </summary>
internal sealed class Mann(LearnerSettings settings)
    : ModelLearner<MannNetwork>(MannFactory.LearnerName, settings, generator => new MannNetwork(MannShape.For(settings), generator))
{
    protected override SupportReading Read(TaskSet support) =>
        MannReading.Of(Network, Network.Read(Network.Initial(support.TaskCount), SupportSequence.Clean(support)));

    protected override SupportReading Restore(IReadOnlyList<NamedState> state) => new MannReading(Network, state);
}
