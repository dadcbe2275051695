using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model.Mann;

/// <summary>
/// Memory addressing of the MANN (Santoro et al. 2016, "Meta-Learning with Memory-Augmented Neural Networks").
/// </summary>
/// <remarks>
/// Reads: w^r_t(i) = softmax_i(beta * K(k_t, M_t(i))), K the cosine similarity, r_t = sum_i w^r_t(i) M_t(i)
/// (the paper has beta = 1; a learned sharpness lets a read pick one slot among similar ones).
/// Writes: w^w_t = sigma(alpha) w^r_{t-1} + (1 - sigma(alpha)) w^lu_{t-1}, where w^lu_{t-1} is one at the least-used
/// slot; that slot is cleared first, then M_t(i) = M_{t-1}(i) + w^w_t(i) k_t.
/// Usage: w^u_t = gamma w^u_{t-1} + w^r_t + w^w_t.
/// </remarks>
internal static class LeastRecentlyUsedAccess
{
    private static readonly Scalar Epsilon = 1e-6.ToScalar();

    /// <summary>One-hot [B, S] at each sequence's least-used slot (the first one on ties).</summary>
    public static Tensor LeastUsed(Tensor usage) =>
        nn.functional.one_hot(usage.argmin(-1), usage.shape[1]).to_type(usage.dtype);

    /// <summary>Write weights [B, S] from the gate sigma(alpha) [B, 1], the previous read weights and least-used slot.</summary>
    public static Tensor WriteWeights(Tensor gate, Tensor previousReadWeights, Tensor leastUsed) =>
        (gate * previousReadWeights).add(Complement(gate) * leastUsed, KeptScalars.One);

    /// <summary>Clears the least-used slot and adds the key [B, W] under the write weights: the next memory [B, S, W].</summary>
    public static Tensor Write(Tensor memory, Tensor leastUsed, Tensor writeWeights, Tensor key) =>
        (memory * Complement(leastUsed).unsqueeze(-1)).add(writeWeights.unsqueeze(-1) * key.unsqueeze(1), KeptScalars.One);

    /// <summary>Cosine-similarity softmax read weights [B, S] of a key [B, W] with sharpness [B, 1].</summary>
    public static Tensor ReadWeights(Tensor memory, Tensor key, Tensor sharpness)
    {
        var similarity = bmm(memory, key.unsqueeze(-1)).squeeze(-1)
            / (memory.norm(-1, false) * key.norm(-1, true)).add(Epsilon, KeptScalars.One);
        return softmax(sharpness * similarity, -1);
    }

    public static Tensor Usage(Tensor usage, Tensor readWeights, Tensor writeWeights, Scalar decay) =>
        usage.mul(decay).add(readWeights, KeptScalars.One).add(writeWeights, KeptScalars.One);

    /// <summary>1 - <paramref name="values"/>, computed as TorchSharp's <c>1 - t</c> operator does (-t + 1).</summary>
    private static Tensor Complement(Tensor values) => values.negative().add(KeptScalars.One, KeptScalars.One);
}
