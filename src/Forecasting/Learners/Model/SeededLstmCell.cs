using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model;

/// <summary>An LSTM cell (Hochreiter and Schmidhuber 1997) with seeded weights and the forget gate biased open.</summary>
internal sealed class SeededLstmCell : nn.Module<Tensor, Tensor, Tensor, (Tensor Hidden, Tensor Cell)>
{
    private readonly SeededLinear gates;

    public SeededLstmCell(string name, long inputs, long hidden, Generator generator)
        : base(name)
    {
        gates = new SeededLinear("gates", inputs + hidden, 4 * hidden, generator);
        RegisterComponents();
    }

    public override (Tensor Hidden, Tensor Cell) forward(Tensor input, Tensor hidden, Tensor cell)
    {
        var parts = gates.forward(cat([input, hidden], -1)).chunk(4, -1);
        var inputGate = sigmoid(parts[0]);
        var forgetGate = sigmoid(parts[1].add(KeptScalars.One, KeptScalars.One));
        var candidate = tanh(parts[2]);
        var outputGate = sigmoid(parts[3]);
        var nextCell = (forgetGate * cell).add(inputGate * candidate, KeptScalars.One);
        return (outputGate * tanh(nextCell), nextCell);
    }
}
