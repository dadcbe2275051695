using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>
/// Meta-SGD: MAML whose inner learning rate is a learned tensor the shape of each parameter (direction and size of
/// the step are meta-learned along with the initialisation), here one such tensor per inner step and each bounded.
/// </summary>
/// <remarks>
/// Li, Zhou, Chen and Li, "Meta-SGD: Learning to Learn Quickly for Few-Shot Learning", 2017; per-step rates as in
/// MAML++'s learned per-step per-layer rates (Antoniou, Edwards and Storkey, "How to train your MAML", ICLR 2019).
/// phi^{s+1} = phi^s - alpha_s (elementwise) grad L_support(phi^s), alpha_s = B tanh(rho_s / B) with
/// B = <see cref="RateBoundFactor"/> times <see cref="LearnerSettings.AdaptationLearningRate"/>: near 0 the rate is rho
/// itself, and no rate the outer Adam learns can pass +-B, so a step stays finite however many are applied. Each rho_s
/// starts where alpha_s is the adaptation learning rate. A state meta-trained for fewer steps than this learner runs
/// repeats its last step's rates; one meta-trained for more uses its first ones.
/// </remarks>
internal sealed class MetaSgd : GradientMetaLearner
{
    /// <summary>B over the adaptation learning rate.</summary>
    internal const double RateBoundFactor = 10;

    private const string StateFormat = "per-step bounded rates";
    private readonly MlpParameters[] _rawRates;
    private readonly Scalar _bound;
    private readonly Scalar _inverseBound;

    public MetaSgd(string name, LearnerSettings settings)
        : base(name, settings)
    {
        RateBound = RateBoundFactor * settings.AdaptationLearningRate;
        var start = RateBound * Math.Atanh(settings.AdaptationLearningRate / RateBound);
        _rawRates = Enumerable.Range(0, Math.Max(1, settings.AdaptationSteps)).Select(_ => Initialisation.FilledLike(start)).ToArray();
        _bound = RateBound.ToScalar();
        _inverseBound = (1 / RateBound).ToScalar();
    }

    /// <summary>B: every learned rate lies strictly within +-B.</summary>
    internal double RateBound { get; }

    protected override IEnumerable<Parameter> MetaParameters => Initialisation.Tensors.Concat(_rawRates.SelectMany(r => r.Tensors));

    /// <summary>alpha_s of parameter <paramref name="index"/>, connected to the graph.</summary>
    internal Tensor Rate(int step, int index) => _rawRates[step].Tensors[index].mul(_inverseBound).tanh().mul(_bound);

    protected override Tensor InnerStep(int step, int index, Tensor fast, Tensor gradient) => fast - gradient * Rate(step, index);

    protected override void InnerStepInPlace(int step, int index, Tensor fast, Tensor gradient) => fast.addcmul_(gradient, Rate(step, index), KeptScalars.MinusOne);

    protected override void WriteState(BinaryWriter writer)
    {
        base.WriteState(writer);
        writer.Write(StateFormat);
        writer.Write(_rawRates.Length);
        foreach (var rates in _rawRates)
        {
            rates.Write(writer);
        }
    }

    protected override void ReadState(BinaryReader reader)
    {
        base.ReadState(reader);
        var format = reader.ReadString();
        if (format != StateFormat)
        {
            throw new InvalidDataException($"The stream holds Meta-SGD rates as '{format}', not '{StateFormat}'.");
        }
        var stored = reader.ReadInt32();
        if (stored < 1)
        {
            throw new InvalidDataException($"The stream holds {stored} steps of Meta-SGD rates.");
        }
        using var unused = Initialisation.FilledLike(0);
        for (var s = 0; s < stored; s++)
        {
            (s < _rawRates.Length ? _rawRates[s] : unused).Read(reader);
        }
        using var noGrad = no_grad();
        for (var s = stored; s < _rawRates.Length; s++)
        {
            for (var i = 0; i < _rawRates[s].Tensors.Length; i++)
            {
                _rawRates[s].Tensors[i].copy_(_rawRates[stored - 1].Tensors[i]);
            }
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        foreach (var rates in _rawRates)
        {
            rates.Dispose();
        }
        _bound.Dispose();
        _inverseBound.Dispose();
    }
}
