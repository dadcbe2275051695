using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model;

/// <summary>One tensor of a support reading, task dimension first (memory, activations, fast-weight factors).</summary>
internal sealed record NamedState(string Name, Tensor Value);
