using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model.MetaNetworks;

/// <summary>
/// The example-level fast weights of one base-learner layer for N support examples: W*_i = OutputFactors_i
/// InputFactors_i^T ([T, N, out] and [T, N, in]) and b*_i = Biases_i ([T, N, out]).
/// </summary>
internal sealed record LayerFastWeights(Tensor OutputFactors, Tensor InputFactors, Tensor Biases);
