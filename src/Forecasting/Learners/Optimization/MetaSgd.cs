using MetaAnomaly.Forecasting.Engine;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>
/// Meta-SGD: MAML whose inner learning rate is a learned tensor the shape of each parameter (direction and size of
/// the step are meta-learned along with the initialisation).
/// </summary>
/// <remarks>
/// Li, Zhou, Chen and Li, "Meta-SGD: Learning to Learn Quickly for Few-Shot Learning", 2017.
/// phi_t = theta - alpha (elementwise) grad L_support_t(theta); both theta and alpha are updated by the outer Adam.
/// alpha starts at <see cref="LearnerSettings.AdaptationLearningRate"/> everywhere.
/// </remarks>
internal sealed class MetaSgd : GradientMetaLearner
{
    private readonly MlpParameters _learningRates;

    public MetaSgd(string name, LearnerSettings settings)
        : base(name, settings)
    {
        _learningRates = Initialisation.FilledLike(settings.AdaptationLearningRate);
    }

    protected override IEnumerable<Parameter> MetaParameters => Initialisation.Tensors.Concat(_learningRates.Tensors);

    protected override Tensor InnerStep(int index, Tensor fast, Tensor gradient) => fast - gradient * _learningRates.Tensors[index];

    protected override void InnerStepInPlace(int index, Tensor fast, Tensor gradient) => fast.addcmul_(gradient, _learningRates.Tensors[index], KeptScalars.MinusOne);

    protected override void WriteState(BinaryWriter writer)
    {
        base.WriteState(writer);
        _learningRates.Write(writer);
    }

    protected override void ReadState(BinaryReader reader)
    {
        base.ReadState(reader);
        _learningRates.Read(reader);
    }

    public override void Dispose()
    {
        base.Dispose();
        _learningRates.Dispose();
    }
}
