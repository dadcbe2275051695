using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model.Snail;

/// <summary>Each task's support activations (right-aligned) and mask: what a query placed after them reads.</summary>
internal sealed class SnailReading(SnailNetwork network, IReadOnlyList<NamedState> state)
    : SupportReading(SnailFactory.LearnerName, state)
{
    public static SnailReading Of(SnailNetwork network, Tensor activations, Tensor mask) =>
        new(network, [new NamedState("activations", activations), new NamedState("mask", mask)]);

    public override Tensor Forward(Tensor queryInputs) => network.ReadOut(this["activations"], this["mask"], queryInputs);
}
