using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model.Mann;

/// <summary>
/// The MANN of Santoro et al. (2016): an LSTM controller that reads from and writes to an external memory with
/// least-recently-used access (<see cref="LeastRecentlyUsedAccess"/>).
/// </summary>
/// <remarks>
/// The support is presented as the sequence (x_1, 0), (x_2, y_1), ..., (x_K, y_{K-1}): each target arrives one step
/// after its window, so the network has to hold the window in memory until the answer comes, as in the paper's
/// episodes. A query (x_q, y_K) is one more step from the state after the support, and its read-out is the forecast.
/// Unobserved support pairs are skipped: the state passes through them unchanged, so a gap or padding never differs
/// from a shorter support.
/// </remarks>
internal sealed class MannNetwork : nn.Module
{
    private const double InitialWriteGateBias = -2.0;
    private const double InitialSharpness = 5.0;
    private static readonly Scalar EmptyMemory = 1e-6f.ToScalar();

    private readonly SeededLstmCell controller;
    private readonly SeededLinear key;
    private readonly SeededLinear writeGate;
    private readonly Parameter logSharpness;
    private readonly SeededLinear readoutHidden;
    private readonly SeededLinear readout;
    private readonly Scalar _usageDecay;

    public MannNetwork(MannShape shape, Generator generator)
        : base("mann")
    {
        Shape = shape;
        _usageDecay = shape.UsageDecay.ToScalar();
        controller = new SeededLstmCell("controller", shape.InputSize + 2 + shape.MemoryWidth, shape.ControllerSize, generator);
        key = new SeededLinear("key", shape.ControllerSize, shape.MemoryWidth, generator);
        writeGate = new SeededLinear("writeGate", shape.ControllerSize, 1, generator);
        writeGate.FillBias(InitialWriteGateBias);
        logSharpness = new Parameter(tensor(Math.Log(InitialSharpness), ScalarType.Float32));
        readoutHidden = new SeededLinear("readoutHidden", shape.ControllerSize + shape.MemoryWidth, shape.ControllerSize, generator);
        readout = new SeededLinear("readout", shape.ControllerSize, 1, generator);
        RegisterComponents();
    }

    public MannShape Shape { get; }

    public MannState Initial(long sequences)
    {
        var device = logSharpness.device;
        return new MannState(
            zeros([sequences, Shape.ControllerSize], device: device),
            zeros([sequences, Shape.ControllerSize], device: device),
            full([sequences, Shape.MemorySlots, Shape.MemoryWidth], EmptyMemory, device: device),
            zeros([sequences, Shape.MemorySlots], device: device),
            zeros([sequences, Shape.MemorySlots], device: device),
            zeros([sequences, Shape.MemoryWidth], device: device),
            zeros([sequences, 1], device: device),
            zeros([sequences, 1], device: device));
    }

    /// <summary>One step on windows [B, D], with the previous target the state carries.</summary>
    public MannStep Step(MannState state, Tensor input)
    {
        var (hidden, cell) = controller.forward(cat([input, state.LastTarget, state.HasTarget, state.Read], -1), state.Hidden, state.Cell);
        var writeKey = tanh(key.forward(hidden));
        var gate = sigmoid(writeGate.forward(hidden));
        var leastUsed = LeastRecentlyUsedAccess.LeastUsed(state.Usage);
        var writeWeights = LeastRecentlyUsedAccess.WriteWeights(gate, state.ReadWeights, leastUsed);
        var memory = LeastRecentlyUsedAccess.Write(state.Memory, leastUsed, writeWeights, writeKey);
        var readWeights = LeastRecentlyUsedAccess.ReadWeights(memory, writeKey, logSharpness.exp());
        var read = bmm(readWeights.unsqueeze(1), memory).squeeze(1);
        var usage = LeastRecentlyUsedAccess.Usage(state.Usage, readWeights, writeWeights, _usageDecay);
        var next = new MannState(hidden, cell, memory, usage, readWeights, read, state.LastTarget, state.HasTarget);
        return new MannStep(next, writeWeights, gate);
    }

    /// <summary>The forecast [B] read out of a step's controller output and memory read.</summary>
    public Tensor Output(MannState state) =>
        readout.forward(nn.functional.relu(readoutHidden.forward(cat([state.Hidden, state.Read], -1)))).squeeze(-1);

    /// <summary>Reads support sequences (inputs [B, K, D], targets and mask [B, K]) on from <paramref name="state"/>.</summary>
    public MannState Read(MannState state, SupportSequence support)
    {
        var observed = support.Mask.gt(KeptScalars.Zero);
        var gapless = observed.all().item<bool>();
        for (var t = 0; t < support.Inputs.shape[1]; t++)
        {
            var stepped = Step(state, support.Inputs[.., t]).State with
            {
                LastTarget = support.Targets[.., t..(t + 1)],
                HasTarget = ones_like(state.HasTarget),
            };
            state = gapless ? stepped : stepped.Where(observed[.., t], state);
        }
        return state;
    }

    /// <summary>Forecasts for query windows [T, Q, D], each one step on from its task's support state on its own.</summary>
    public Tensor ReadOut(MannState state, Tensor queryInputs)
    {
        var (tasks, queries) = (queryInputs.shape[0], queryInputs.shape[1]);
        var step = Step(state.Repeat(queries), queryInputs.reshape(tasks * queries, queryInputs.shape[2]));
        return Output(step.State).reshape(tasks, queries);
    }
}
