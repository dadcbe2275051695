using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model.Mann;

/// <summary>The MANN's state after each task's support: controller, memory, usage and the last target.</summary>
internal sealed class MannReading(MannNetwork network, IReadOnlyList<NamedState> state)
    : SupportReading(MannFactory.LearnerName, state)
{
    public static MannReading Of(MannNetwork network, MannState state) =>
        new(network, MannState.Names.Zip(state.Tensors, (name, value) => new NamedState(name, value)).ToList());

    public override Tensor Forward(Tensor queryInputs) =>
        network.ReadOut(MannState.From(MannState.Names.Select(name => this[name]).ToList()), queryInputs);
}
