using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model.Snail;

/// <summary>
/// SNAIL's attention block: single-head soft attention softmax(q_t k_j / sqrt(d_k)) v_j over the observed positions
/// j at or before t (a position always sees itself).
/// </summary>
internal sealed class CausalAttention : SnailLayer
{
    private const float Excluded = -1e9f;

    private readonly SeededLinear query;
    private readonly SeededLinear key;
    private readonly SeededLinear value;
    private readonly Scalar _scale;

    public CausalAttention(string name, long inputChannels, long keySize, long valueSize, Generator generator)
        : base(name, inputChannels, valueSize)
    {
        query = new SeededLinear("query", inputChannels, keySize, generator);
        key = new SeededLinear("key", inputChannels, keySize, generator);
        value = new SeededLinear("value", inputChannels, valueSize, generator);
        _scale = (1.0 / Math.Sqrt(keySize)).ToScalar();
        RegisterComponents();
    }

    public override Tensor Sequence(Tensor sequence, Tensor mask)
    {
        var length = sequence.shape[1];
        var logits = bmm(query.forward(sequence), key.forward(sequence).transpose(1, 2)).mul(_scale);
        var itself = eye(length, dtype: ScalarType.Bool, device: sequence.device).unsqueeze(0);
        var earlier = ones([length, length], dtype: ScalarType.Bool, device: sequence.device).tril().unsqueeze(0);
        var visible = earlier.logical_and(mask.gt(KeptScalars.Zero).unsqueeze(1).logical_or(itself));
        return bmm(softmax(logits.Fill(visible.logical_not(), Excluded), -1), value.forward(sequence));
    }

    public override Tensor Query(Tensor queries, Tensor support, Tensor mask)
    {
        var asked = query.forward(queries);
        var supportLogits = bmm(asked, key.forward(support).transpose(1, 2)).mul(_scale)
            .Fill(mask.le(KeptScalars.Zero).unsqueeze(1), Excluded);
        var selfLogits = (asked * key.forward(queries)).sum(-1, keepdim: true).mul(_scale);
        var weights = softmax(cat([supportLogits, selfLogits], -1), -1);
        var supportCount = (int)support.shape[1];
        return bmm(weights[.., .., ..supportCount], value.forward(support)).add(weights[.., .., supportCount..] * value.forward(queries), KeptScalars.One);
    }
}
