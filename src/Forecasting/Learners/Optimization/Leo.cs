using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>
/// Latent Embedding Optimization: an encoder and a relation network infer a per-task latent code from the support,
/// a decoder turns the code into the forecaster's output layer, and adaptation runs in the latent space.
/// </summary>
/// <remarks>
/// Rusu et al., "Meta-Learning with Latent Embedding Optimization", ICLR 2019.
/// The forecaster is a meta-learned ReLU trunk φ (D -> hidden sizes, shared by all tasks) and a per-task output layer
/// w ∈ R^{H+1} (weights and bias over the last hidden layer). For a task with support pairs (x_n, y_n):
/// e_n = relu(W_e [x_n, y_n] + b_e) (encoder); regression has one "class", so the relation network runs over all
/// pairs of the task's own support: (μ_z, σ_z) = W_o mean_{n,m} relu(A e_n + B e_m + b_r) + b_o, σ = softplus(·);
/// z ~ N(μ_z, σ_z) while meta-training, z = μ_z when adapting. The decoder gives
/// (μ_w, σ_w) = W_d z + b_d, w ~ N(μ_w, σ_w) (w = μ_w when adapting).
/// Inner loop: z ← z - α ∇_z L_support(w(z)) for the adaptation steps, then the decoded w is fine-tuned,
/// w ← w - η ∇_w L_support(w), for as many steps; α and η are meta-learned (log-parametrised).
/// Outer loss: L_query(w') + β KL(N(μ_z, σ_z) ‖ N(0, I)) + γ ‖stopgrad(z') - z‖², end to end through the encoder,
/// relation network, decoder and trunk; second order unless <see cref="LearnerSettings.FirstOrder"/>.
/// The relation step costs O(N²) per task in the support size N. Not kept from the paper: dropout and the decoder's
/// orthogonality penalty.
/// </remarks>
internal sealed class Leo : IMetaLearner
{
    public static class Defaults
    {
        public const int EncoderSize = 32;
        public const int RelationSize = 32;
        public const int LatentSize = 16;
        public const double LatentLearningRate = 1.0;
        public const double KlWeight = 1e-3;
        public const double EncoderPenaltyWeight = 1e-3;
        public const double InitialWeightSpread = 0.01;
        public const double GradientClipNorm = 10.0;

        /// <summary>Relation-network values (tasks × N² × relation size) per chunk when adapting many series.</summary>
        public const long RelationValuesPerChunk = 1 << 24;
    }

    private static readonly Scalar KlWeight = Defaults.KlWeight.ToScalar();
    private static readonly Scalar EncoderPenaltyWeight = Defaults.EncoderPenaltyWeight.ToScalar();
    private static readonly Scalar Half = 0.5.ToScalar();
    private static readonly Scalar DeviationFloor = 1e-4.ToScalar();

    private readonly int[] _trunkWidths;
    private readonly int _headSize;
    private readonly List<(string Name, Parameter Value)> _trunk = [];
    private readonly List<(string Name, Parameter Value)> _parameters = [];
    private readonly Parameter _encoderWeights, _encoderBias;
    private readonly Parameter _relationLeft, _relationRight, _relationBias, _relationOutWeights, _relationOutBias;
    private readonly Parameter _decoderWeights, _decoderBias;
    private readonly Parameter _logLatentLearningRate, _logFineTuneLearningRate;
    private readonly Generator _sampling;
    private readonly KeptScalarAdam _optimizer;

    public Leo(LearnerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.AdaptationSteps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.AdaptationLearningRate);
        Settings = settings;
        _trunkWidths = [settings.InputSize, .. settings.HiddenSizes];
        _headSize = _trunkWidths[^1] + 1;

        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)settings.Seed);
        Tensor Uniform(long[] shape, double fanIn) => InitialValues.Uniform(shape, 1 / Math.Sqrt(fanIn), generator);
        for (var layer = 0; layer + 1 < _trunkWidths.Length; layer++)
        {
            _trunk.Add(($"trunk.{layer}.weights", Keep(Uniform([1, _trunkWidths[layer], _trunkWidths[layer + 1]], _trunkWidths[layer]))));
            _trunk.Add(($"trunk.{layer}.bias", Keep(Uniform([1, 1, _trunkWidths[layer + 1]], _trunkWidths[layer]))));
        }
        const int encoder = Defaults.EncoderSize, relation = Defaults.RelationSize, latent = Defaults.LatentSize;
        _encoderWeights = Keep(Uniform([settings.InputSize + 1, encoder], settings.InputSize + 1));
        _encoderBias = Keep(Uniform([encoder], settings.InputSize + 1));
        _relationLeft = Keep(Uniform([encoder, relation], 2 * encoder));
        _relationRight = Keep(Uniform([encoder, relation], 2 * encoder));
        _relationBias = Keep(Uniform([relation], 2 * encoder));
        _relationOutWeights = Keep(Uniform([relation, 2 * latent], relation));
        _relationOutBias = Keep(Uniform([2 * latent], relation));
        _decoderWeights = Keep(Uniform([latent, 2 * _headSize], latent));
        var spread = Math.Log(Math.Exp(Defaults.InitialWeightSpread) - 1);
        _decoderBias = Keep(cat([Uniform([_headSize], _headSize), InitialValues.Filled([_headSize], spread)]));
        _logLatentLearningRate = Keep(InitialValues.Filled([1], Math.Log(Defaults.LatentLearningRate)));
        _logFineTuneLearningRate = Keep(InitialValues.Filled([1], Math.Log(settings.AdaptationLearningRate)));

        _parameters.AddRange(_trunk);
        _parameters.AddRange([
            ("encoder.weights", _encoderWeights), ("encoder.bias", _encoderBias),
            ("relation.left", _relationLeft), ("relation.right", _relationRight), ("relation.bias", _relationBias),
            ("relation.out.weights", _relationOutWeights), ("relation.out.bias", _relationOutBias),
            ("decoder.weights", _decoderWeights), ("decoder.bias", _decoderBias),
            ("latent.log-learning-rate", _logLatentLearningRate), ("finetune.log-learning-rate", _logFineTuneLearningRate),
        ]);
        _sampling = new Generator((ulong)settings.Seed + 1);
        _optimizer = new KeptScalarAdam(_parameters.Select(p => p.Value), settings.MetaLearningRate);
    }

    public string Name => LeoFactory.LearnerName;

    public LearnerFamily Family => LearnerFamily.Optimization;

    public LearnerSettings Settings { get; }

    public double MetaTrainStep(EpisodeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var (head, kl, encoderPenalty) = Infer(batch.Support, training: true);
        var query = batch.Query;
        var queryLoss = FunctionalMlp.TaskLosses(Forecast(query.Inputs, head), query.Targets, query.Mask).mean();
        var loss = queryLoss.add(kl.mul(KlWeight), KeptScalars.One).add(encoderPenalty.mul(EncoderPenaltyWeight), KeptScalars.One);
        _optimizer.ZeroGrad();
        loss.backward();
        nn.utils.clip_grad_norm_(_parameters.Select(p => p.Value), Defaults.GradientClipNorm);
        _optimizer.Step();
        return queryLoss.item<float>();
    }

    public IAdaptedBatch Adapt(TaskSet support)
    {
        ArgumentNullException.ThrowIfNull(support);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var pairs = Math.Max(1, support.PairCount);
        var head = TaskChunks.Map(support, Defaults.RelationValuesPerChunk / (pairs * pairs * Defaults.RelationSize), chunk => Infer(chunk, training: false).Head);
        var tasks = support.TaskCount;
        var trunk = _trunk.Select(p => p.Value.detach().expand(tasks, p.Value.shape[1], p.Value.shape[2]).clone());
        return new FastWeightBatch(Name, [.. trunk, .. HeadLayer(head).Select(w => w.contiguous().clone())]);
    }

    public IAdaptedBatch Restack(IReadOnlyList<AdaptedTaskState> states) =>
        FastWeightBatch.Restack(Name, states, [.. _trunkWidths, 1], Settings.Device);

    public void Save(Stream destination) =>
        MetaParameterFile.Save(destination, Name, _parameters.Select(p => (p.Name, (Tensor)p.Value)).ToList());

    public void Load(Stream source) =>
        MetaParameterFile.Load(source, Name, _parameters.Select(p => (p.Name, (Tensor)p.Value)).ToList());

    public void Dispose()
    {
        _optimizer.Dispose();
        _sampling.Dispose();
        foreach (var (_, value) in _parameters)
        {
            value.Dispose();
        }
    }

    /// <summary>Forecasts [T, N] from inputs [T, N, D] through the shared trunk and each task's output layer [T, H+1].</summary>
    private Tensor Forecast(Tensor inputs, Tensor head) =>
        FunctionalMlp.Forward(inputs, [.. _trunk.Select(p => (Tensor)p.Value), .. HeadLayer(head)]);

    /// <summary>An output layer row [T, H+1] as the functional MLP's last layer: W [T, H, 1], b [T, 1, 1].</summary>
    private static Tensor[] HeadLayer(Tensor head)
    {
        var hidden = head.shape[1] - 1;
        return [head.narrow(1, 0, hidden).unsqueeze(-1), head.narrow(1, hidden, 1).unsqueeze(-1)];
    }

    /// <summary>Encoder, relation network, latent steps and fine-tuning: the adapted output layers [T, H+1] and penalties.</summary>
    private (Tensor Head, Tensor Kl, Tensor EncoderPenalty) Infer(TaskSet support, bool training)
    {
        var (mean, deviation) = LatentDistribution(support);
        var kl = mean.pow(KeptScalars.Two).add(deviation.pow(KeptScalars.Two), KeptScalars.One).sub(KeptScalars.One)
            .mul(Half).sub(deviation.log()).sum(1).mean();
        var initialCode = training ? mean.add(deviation * Noise(mean.shape), KeptScalars.One) : mean;
        var secondOrder = training && !Settings.FirstOrder;

        var code = initialCode;
        var latentRate = _logLatentLearningRate.exp();
        for (var step = 0; step < Settings.AdaptationSteps; step++)
        {
            code = code - latentRate * SupportGradient(support, code, c => Decode(c, training), secondOrder);
        }
        var head = Decode(code, training);
        var fineTuneRate = _logFineTuneLearningRate.exp();
        for (var step = 0; step < Settings.AdaptationSteps; step++)
        {
            head = head - fineTuneRate * SupportGradient(support, head, w => w, secondOrder);
        }
        var encoderPenalty = (code.detach() - initialCode).pow(KeptScalars.Two).sum(1).mean();
        return (head, kl, encoderPenalty);
    }

    /// <summary>The support loss's gradient at <paramref name="point"/>; kept in the graph only for second-order meta-training.</summary>
    private Tensor SupportGradient(TaskSet support, Tensor point, Func<Tensor, Tensor> head, bool createGraph)
    {
        using var enableGrad = enable_grad();
        var at = createGraph ? point : point.detach().requires_grad_(true);
        var losses = FunctionalMlp.TaskLosses(Forecast(support.Inputs, head(at)), support.Targets, support.Mask);
        var gradient = autograd.grad([losses.sum()], [at], retain_graph: createGraph, create_graph: createGraph)[0];
        return createGraph ? gradient : gradient.detach();
    }

    /// <summary>Encodes each support pair and pools the relation network over all pairs of observed points: μ_z, σ_z [T, Z].</summary>
    private (Tensor Mean, Tensor Deviation) LatentDistribution(TaskSet support)
    {
        var pairs = cat([support.Inputs, support.Targets.unsqueeze(-1)], -1);
        var encoded = nn.functional.relu(pairs.matmul(_encoderWeights).add_(_encoderBias, KeptScalars.One));
        var left = encoded.matmul(_relationLeft);
        var right = encoded.matmul(_relationRight).add_(_relationBias, KeptScalars.One);
        var related = nn.functional.relu(left.unsqueeze(2).add(right.unsqueeze(1), KeptScalars.One));
        var weight = support.Mask.unsqueeze(2) * support.Mask.unsqueeze(1);
        var pooled = (related * weight.unsqueeze(-1)).sum([1, 2]) / weight.sum([1, 2]).clamp_min(KeptScalars.One).unsqueeze(-1);
        var statistics = pooled.matmul(_relationOutWeights).add_(_relationOutBias, KeptScalars.One).chunk(2, 1);
        return (statistics[0], nn.functional.softplus(statistics[1]).add(DeviationFloor, KeptScalars.One));
    }

    private Tensor Decode(Tensor code, bool sample)
    {
        var statistics = code.matmul(_decoderWeights).add_(_decoderBias, KeptScalars.One).chunk(2, 1);
        return sample
            ? statistics[0].add(nn.functional.softplus(statistics[1]) * Noise(statistics[0].shape), KeptScalars.One)
            : statistics[0];
    }

    private Tensor Noise(long[] shape) => randn(shape, generator: _sampling).to(Settings.Device);

    private Parameter Keep(Tensor value)
    {
        var parameter = new Parameter(value.to(Settings.Device).contiguous().detach(), requires_grad: true);
        parameter.DetachFromDisposeScope();
        return parameter;
    }
}
