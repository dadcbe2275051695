using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model.MetaNetworks;

/// <summary>Each task's fast-weight memory: what its support examples' gradients made of the base learner.</summary>
internal sealed class MetaNetReading(MetaNetNetwork network, IReadOnlyList<NamedState> state)
    : SupportReading(MetaNetFactory.LearnerName, state)
{
    private readonly FastWeightMemory _memory = FastWeightMemory.FromState(state, network.LayerCount);

    public override Tensor Forward(Tensor queryInputs) => network.ReadOut(_memory, queryInputs);
}
