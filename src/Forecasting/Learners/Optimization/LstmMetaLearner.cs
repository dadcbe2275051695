using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>
/// The LSTM meta-learner: a coordinate-wise LSTM whose cell state is the forecaster's weights learns how to update
/// them, and is meta-trained together with their initialisation.
/// </summary>
/// <remarks>
/// Ravi &amp; Larochelle, "Optimization as a Model for Few-Shot Learning", ICLR 2017.
/// Every coordinate j of the forecaster's flat weight vector θ (for every task at once, [T, P] rows) runs the same
/// two-layer LSTM. Layer 1 is a standard LSTM (hidden size <see cref="Defaults.HiddenSize"/>) over the preprocessed
/// gradient and loss, x = [pre(∇_j L), pre(L)], with the paper's preprocessing for p = 10:
/// pre(x) = (log|x| / p, sign x) if |x| ≥ e^-p, else (-1, e^p x).
/// Layer 2 is the meta-learner cell whose state is the weight itself:
/// f_t = σ(W_F [h_t, θ_{t-1}, f_{t-1}] + b_F), i_t = σ(W_I [h_t, θ_{t-1}, i_{t-1}] + b_I),
/// θ_t = c_t = f_t ⊙ c_{t-1} + i_t ⊙ (-∇_t):
/// the input gate is a learned per-coordinate learning rate, the forget gate a learned shrinkage; i = η, f = 1 is SGD.
/// c_0 is the learned initialisation. The gates start at i ≈ <see cref="LearnerSettings.AdaptationLearningRate"/> and
/// f ≈ σ(<see cref="Defaults.ForgetBias"/>). As in the paper, ∇_t and L_t enter as inputs only: no gradient flows
/// through them (no second derivatives), but it flows through the gates and the cell state back to c_0.
/// </remarks>
internal sealed class LstmMetaLearner : IMetaLearner
{
    public static class Defaults
    {
        public const int HiddenSize = 20;
        public const double ForgetBias = 5.0;
        public const double PreprocessingExponent = 10.0;
        public const double GateWeightScale = 0.01;
        public const double GradientClipNorm = 10.0;

        /// <summary>Coordinates (tasks × weights) per chunk when adapting many series: bounds the LSTM's working memory.</summary>
        public const long AdaptationRowsPerChunk = 1 << 19;
    }

    private static readonly Scalar SmallestLargeMagnitude = Math.Exp(-Defaults.PreprocessingExponent).ToScalar();
    private static readonly Scalar SmallScale = Math.Exp(Defaults.PreprocessingExponent).ToScalar();
    private static readonly Scalar Exponent = Defaults.PreprocessingExponent.ToScalar();
    private static readonly Scalar MagnitudeFloor = 1e-30.ToScalar();

    private readonly MlpParameters _initialisation;
    private readonly long _parameterCount;
    private readonly Parameter _inputWeights;
    private readonly Parameter _hiddenWeights;
    private readonly Parameter _lstmBias;
    private readonly Parameter _forgetWeights;
    private readonly Parameter _forgetBias;
    private readonly Parameter _learningWeights;
    private readonly Parameter _learningBias;
    private readonly KeptScalarAdam _optimizer;

    public LstmMetaLearner(LearnerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.AdaptationSteps);
        if (settings.AdaptationLearningRate is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(settings),
                "The LSTM meta-learner's input gate starts at the adaptation learning rate, which must lie in (0, 1).");
        }
        Settings = settings;
        _initialisation = MlpParameters.Create(settings.InputSize, settings.HiddenSizes, settings.Device, settings.Seed, settings.ZeroOutputLayer);
        _parameterCount = _initialisation.Tensors.Sum(t => t.numel());

        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)settings.Seed + 1);
        const int hidden = Defaults.HiddenSize;
        var lstmBound = 1.0 / Math.Sqrt(hidden);
        Tensor Uniform(long[] shape, double bound) => InitialValues.Uniform(shape, bound, generator);
        var learningRateLogit = Math.Log(settings.AdaptationLearningRate / (1 - settings.AdaptationLearningRate));

        _inputWeights = Keep(Uniform([4, 4 * hidden], lstmBound));
        _hiddenWeights = Keep(Uniform([hidden, 4 * hidden], lstmBound));
        _lstmBias = Keep(Uniform([4 * hidden], lstmBound));
        _forgetWeights = Keep(Uniform([hidden + 2, 1], Defaults.GateWeightScale));
        _forgetBias = Keep(InitialValues.Filled([1], Defaults.ForgetBias));
        _learningWeights = Keep(Uniform([hidden + 2, 1], Defaults.GateWeightScale));
        _learningBias = Keep(InitialValues.Filled([1], learningRateLogit));
        _optimizer = new KeptScalarAdam(MetaParameters.Select(p => p.Value), settings.MetaLearningRate);
    }

    public string Name => LstmMetaLearnerFactory.LearnerName;

    public LearnerFamily Family => LearnerFamily.Optimization;

    public LearnerSettings Settings { get; }

    private IReadOnlyList<(string Name, Parameter Value)> MetaParameters =>
    [
        .. _initialisation.Tensors.Select((t, i) => ($"initial.{i}", t)),
        ("lstm.input", _inputWeights), ("lstm.hidden", _hiddenWeights), ("lstm.bias", _lstmBias),
        ("forget.weights", _forgetWeights), ("forget.bias", _forgetBias),
        ("input.weights", _learningWeights), ("input.bias", _learningBias),
    ];

    public double MetaTrainStep(EpisodeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var weights = InnerLoop(batch.Support, buildMetaGraph: true);
        var query = batch.Query;
        var loss = FunctionalMlp.TaskLosses(FunctionalMlp.Forward(query.Inputs, Unflatten(weights)), query.Targets, query.Mask).mean();
        _optimizer.ZeroGrad();
        loss.backward();
        nn.utils.clip_grad_norm_(MetaParameters.Select(p => p.Value), Defaults.GradientClipNorm);
        _optimizer.Step();
        return loss.item<float>();
    }

    public IAdaptedBatch Adapt(TaskSet support)
    {
        ArgumentNullException.ThrowIfNull(support);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tasksPerChunk = Defaults.AdaptationRowsPerChunk / _parameterCount;
        var flat = TaskChunks.Map(support, tasksPerChunk, chunk => InnerLoop(chunk, buildMetaGraph: false));
        var weights = Unflatten(flat).Select(w => w.contiguous().clone()).ToArray();
        return new FastWeightBatch(Name, weights);
    }

    public IAdaptedBatch Restack(IReadOnlyList<AdaptedTaskState> states) =>
        FastWeightBatch.Restack(Name, states, _initialisation.LayerSizes, Settings.Device);

    public void Save(Stream destination) =>
        MetaParameterFile.Save(destination, Name, MetaParameters.Select(p => (p.Name, (Tensor)p.Value)).ToList());

    public void Load(Stream source) =>
        MetaParameterFile.Load(source, Name, MetaParameters.Select(p => (p.Name, (Tensor)p.Value)).ToList());

    public void Dispose()
    {
        _optimizer.Dispose();
        foreach (var (_, value) in MetaParameters)
        {
            value.Dispose();
        }
    }

    /// <summary>Runs the two-layer coordinate-wise LSTM for the adaptation steps; returns the final cell state [T, P].</summary>
    private Tensor InnerLoop(TaskSet support, bool buildMetaGraph)
    {
        var tasks = support.TaskCount;
        var rows = tasks * _parameterCount;
        var cell = Flatten(_initialisation.Broadcast(tasks));
        var hidden = zeros([rows, Defaults.HiddenSize], device: Settings.Device);
        var lstmCell = zeros([rows, Defaults.HiddenSize], device: Settings.Device);
        var forget = zeros([rows, 1], device: Settings.Device);
        var learning = zeros([rows, 1], device: Settings.Device);
        for (var step = 0; step < Settings.AdaptationSteps; step++)
        {
            // Serving keeps only the carried state of each step; meta-training keeps the graph (its tensors live to the step's end).
            using var stepScope = buildMetaGraph ? null : NewDisposeScope();
            var (gradient, losses) = SupportGradient(support, cell);
            var inputs = cat([Preprocess(gradient.reshape(rows)), Preprocess(losses.unsqueeze(1).expand(tasks, _parameterCount).reshape(rows))], 1);
            var gates = inputs.mm(_inputWeights).add_(hidden.mm(_hiddenWeights), KeptScalars.One).add_(_lstmBias, KeptScalars.One).chunk(4, 1);
            lstmCell = (gates[1].sigmoid() * lstmCell).add(gates[0].sigmoid() * gates[2].tanh(), KeptScalars.One);
            hidden = gates[3].sigmoid() * lstmCell.tanh();
            var previous = cell.reshape(rows, 1);
            forget = cat([hidden, previous, forget], 1).mm(_forgetWeights).add_(_forgetBias, KeptScalars.One).sigmoid();
            learning = cat([hidden, previous, learning], 1).mm(_learningWeights).add_(_learningBias, KeptScalars.One).sigmoid();
            cell = (forget * previous - learning * gradient.reshape(rows, 1)).view(tasks, _parameterCount);
            if (stepScope is not null)
            {
                foreach (var carried in new[] { cell, hidden, lstmCell, forget, learning })
                {
                    carried.MoveToOuterDisposeScope();
                }
            }
        }
        return buildMetaGraph ? cell : cell.detach();
    }

    /// <summary>The support loss per task [T] and its gradient [T, P] at the given weights, both as constants.</summary>
    private (Tensor Gradient, Tensor Losses) SupportGradient(TaskSet support, Tensor weights)
    {
        var (gradients, losses, _) = FunctionalMlp.Backpropagate(support.Inputs, support.Targets, support.Mask, Unflatten(weights.detach()));
        return (Flatten(gradients), losses);
    }

    /// <summary>Per-layer tensors [T, ...] (the functional MLP's W [T, in, out], b [T, 1, out]) as one row per task, [T, P].</summary>
    private static Tensor Flatten(IReadOnlyList<Tensor> layers) => cat(layers.Select(w => w.reshape(w.shape[0], -1)).ToList(), 1);

    /// <summary>The inverse of <see cref="Flatten"/>: views of [T, P] shaped as the functional MLP's weights.</summary>
    private Tensor[] Unflatten(Tensor flat)
    {
        var tasks = flat.shape[0];
        var shapes = _initialisation.Tensors.Select(t => t.shape[1..]).ToArray();
        var views = new Tensor[shapes.Length];
        long offset = 0;
        for (var i = 0; i < shapes.Length; i++)
        {
            var size = shapes[i][0] * shapes[i][1];
            views[i] = flat.narrow(1, offset, size).view(tasks, shapes[i][0], shapes[i][1]);
            offset += size;
        }
        return views;
    }

    /// <summary>The paper's gradient preprocessing: [R] values to [R, 2].</summary>
    private static Tensor Preprocess(Tensor values)
    {
        var magnitude = values.abs();
        var large = magnitude.ge(SmallestLargeMagnitude);
        var logScale = where(large, magnitude.clamp_min(MagnitudeFloor).log().div(Exponent), full_like(values, KeptScalars.MinusOne));
        var signed = where(large, values.sign(), values.mul(SmallScale));
        return stack([logScale, signed], 1);
    }

    private Parameter Keep(Tensor value)
    {
        var parameter = new Parameter(value.to(Settings.Device).contiguous().detach(), requires_grad: true);
        parameter.DetachFromDisposeScope();
        return parameter;
    }
}
