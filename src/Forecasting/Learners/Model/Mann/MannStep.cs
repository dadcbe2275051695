using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model.Mann;

/// <summary>What one MANN step produced: the next state and how it wrote (weights [B, S], gate [B, 1]).</summary>
internal sealed record MannStep(MannState State, Tensor WriteWeights, Tensor WriteGate);
