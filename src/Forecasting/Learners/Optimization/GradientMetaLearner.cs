using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>
/// Shared machinery of the gradient-based learners on the functional MLP: a meta-initialisation theta, an inner
/// update rule applied to each task's fast weights in one batched computation, Adam as the outer optimiser.
/// Meta-training builds the autograd graph (second order unless <see cref="LearnerSettings.FirstOrder"/>);
/// serving adaptation back-propagates by hand, first order, in place, without a graph.
/// </summary>
/// <remarks>
/// Inner loop for task t: phi_t^0 = theta, phi_t^{s+1} = phi_t^s - alpha * grad L_support_t(phi_t^s).
/// Outer loss: mean over tasks of L_query_t(phi_t^S). Per-task losses are masked means, and the inner gradient is that
/// of their sum, so each task's fast weights see only their own task whatever the batch.
/// </remarks>
internal abstract class GradientMetaLearner : IMetaLearner
{
    private const double GradientClipNorm = 10.0;
    private const double ServingGradientBound = 10.0;
    private readonly Lazy<KeptScalarAdam> _optimizer;
    // Serving's scalar arguments, kept alive for the learner's lifetime (see KeptScalars).
    private readonly Scalar _gradientFloor = (-ServingGradientBound).ToScalar();
    private readonly Scalar _gradientCeiling = ServingGradientBound.ToScalar();
    private readonly Scalar _learningRate;
    private readonly Scalar _descentRate;

    protected GradientMetaLearner(string name, LearnerSettings settings)
    {
        Name = name;
        Settings = settings;
        Initialisation = MlpParameters.Create(settings.InputSize, settings.HiddenSizes, settings.Device, settings.Seed, settings.ZeroOutputLayer);
        _optimizer = new(() => new KeptScalarAdam(MetaParameters, settings.MetaLearningRate));
        _learningRate = settings.AdaptationLearningRate.ToScalar();
        _descentRate = (-settings.AdaptationLearningRate).ToScalar();
    }

    public string Name { get; }

    public LearnerFamily Family => LearnerFamily.Optimization;

    public LearnerSettings Settings { get; }

    internal MlpParameters Initialisation { get; }

    /// <summary>Everything the outer loop learns.</summary>
    protected virtual IEnumerable<Parameter> MetaParameters => Initialisation.Tensors;

    public virtual double MetaTrainStep(EpisodeBatch batch) => OuterStep(() => MetaLoss(batch));

    /// <summary>One Adam step on the gradient of <paramref name="loss"/> (clipped); returns the loss.</summary>
    protected double OuterStep(Func<Tensor> loss)
    {
        using var scope = NewDisposeScope();
        _optimizer.Value.ZeroGrad();
        var value = loss();
        value.backward();
        nn.utils.clip_grad_norm_(MetaParameters, GradientClipNorm);
        _optimizer.Value.Step();
        return value.item<float>();
    }

    /// <summary>The meta-gradients of one batch's outer loss, without updating (tests compare them).</summary>
    internal Tensor[] MetaGradients(EpisodeBatch batch)
    {
        using var scope = NewDisposeScope();
        var parameters = MetaParameters.Cast<Tensor>().ToArray();
        var gradients = autograd.grad([MetaLoss(batch)], parameters, retain_graph: true, allow_unused: true);
        return gradients.Select(g => g.detach().clone().MoveToOuterDisposeScope()).ToArray();
    }

    /// <summary>Mean query loss after differentiable inner adaptation on the support.</summary>
    protected Tensor MetaLoss(EpisodeBatch batch)
    {
        using var scope = NewDisposeScope();
        var fast = AdaptDifferentiably(batch.Support);
        var losses = FunctionalMlp.TaskLosses(FunctionalMlp.Forward(batch.Query.Inputs, fast), batch.Query.Targets, batch.Query.Mask);
        return losses.mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The inner loop serving runs (<see cref="Adapt"/>), differentiable: the same steps, rate, gradient bound and held-out
    /// tail. With a held-out tail (<see cref="LearnerSettings.HeldOutShare"/>) the steps fit the earlier support pairs and
    /// each task keeps the step whose weights forecast its tail best; the choice is made on detached losses, and the
    /// meta-gradient flows through the kept step's weights.
    /// </summary>
    protected Tensor[] AdaptDifferentiably(TaskSet support)
    {
        var heldOut = HeldOutTail.Count(support.PairCount, Settings.HeldOutShare);
        var (fitted, stopping) = heldOut > 0 ? HeldOutTail.Masks(support.Mask, heldOut) : (support.Mask, (Tensor?)null);
        var fast = Initialisation.Broadcast(support.TaskCount);
        var kept = new KeptStep(fast);
        for (var step = 0; step < Settings.AdaptationSteps; step++)
        {
            var predictions = FunctionalMlp.Forward(support.Inputs, fast);
            if (stopping is not null)
            {
                kept.Offer(FunctionalMlp.TaskLosses(predictions.detach(), support.Targets, stopping), fast);
            }
            var loss = FunctionalMlp.TaskLosses(predictions, support.Targets, fitted).sum();
            var gradients = autograd.grad([loss], fast, create_graph: !Settings.FirstOrder, retain_graph: true);
            fast = fast.Select((w, i) => InnerStep(step, i, w, Bounded(Settings.FirstOrder ? gradients[i].detach() : gradients[i]))).ToArray();
        }
        if (stopping is null)
        {
            return fast;
        }
        kept.Offer(FunctionalMlp.TaskLosses(FunctionalMlp.Forward(support.Inputs, fast).detach(), support.Targets, stopping), fast);
        return kept.Weights;
    }

    public IAdaptedBatch Adapt(TaskSet support)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var heldOut = HeldOutTail.Count(support.PairCount, Settings.HeldOutShare);
        var (fitted, stopping) = heldOut > 0 ? HeldOutTail.Masks(support.Mask, heldOut) : (support.Mask, (Tensor?)null);
        var fast = Initialisation.StackDetached(support.TaskCount);
        var kept = stopping is null ? null : new KeptStep(fast.Select(w => w.clone()).ToArray());
        for (var step = 0; step < Settings.AdaptationSteps; step++)
        {
            using var stepScope = NewDisposeScope();
            // Every task starts from theta: the first step's products run once over all tasks' pairs with the shared
            // weights rather than per task with T copies of them.
            IReadOnlyList<Tensor> current = step == 0 ? Initialisation.Tensors.Select(t => t.detach()).ToArray() : fast;
            var (gradients, _, predictions) = FunctionalMlp.Backpropagate(support.Inputs, support.Targets, fitted, current);
            kept?.OfferInPlace(FunctionalMlp.TaskLosses(predictions, support.Targets, stopping!), fast);
            for (var i = 0; i < fast.Length; i++)
            {
                // A support window unlike anything the initialisation was trained on can make a plain step overshoot
                // and the next ones overflow; bounding each gradient element keeps serving's steps finite.
                InnerStepInPlace(step, i, fast[i], gradients[i].clamp_(_gradientFloor, _gradientCeiling));
            }
        }
        if (kept is null)
        {
            return new FastWeightBatch(Name, fast);
        }
        using (NewDisposeScope())
        {
            var tail = support.PairCount - heldOut;
            var predictions = FunctionalMlp.Forward(support.Inputs.narrow(1, tail, heldOut), fast);
            kept.OfferInPlace(FunctionalMlp.TaskLosses(predictions, support.Targets.narrow(1, tail, heldOut), stopping!.narrow(1, tail, heldOut)), fast);
        }
        return new FastWeightBatch(Name, kept.Weights);
    }

    public IAdaptedBatch Restack(IReadOnlyList<AdaptedTaskState> states) =>
        FastWeightBatch.Restack(Name, states, Initialisation.LayerSizes, Settings.Device);

    private Tensor Bounded(Tensor gradient) => gradient.clamp(_gradientFloor, _gradientCeiling);

    /// <summary>Differentiable inner update <paramref name="step"/> (from 0) of parameter <paramref name="index"/>.</summary>
    protected virtual Tensor InnerStep(int step, int index, Tensor fast, Tensor gradient) => fast - gradient.mul(_learningRate);

    /// <summary>The same update, in place, for serving.</summary>
    protected virtual void InnerStepInPlace(int step, int index, Tensor fast, Tensor gradient) => fast.add_(gradient, _descentRate);

    public void Save(Stream destination)
    {
        using var writer = new BinaryWriter(destination, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Name);
        writer.Write(Initialisation.LayerSizes.Count);
        foreach (var size in Initialisation.LayerSizes)
        {
            writer.Write(size);
        }
        WriteState(writer);
    }

    public void Load(Stream source)
    {
        using var reader = new BinaryReader(source, System.Text.Encoding.UTF8, leaveOpen: true);
        var name = reader.ReadString();
        if (name != Name)
        {
            throw new InvalidDataException($"The stream holds a {name} meta-state, not {Name}.");
        }
        var sizes = new int[reader.ReadInt32()];
        for (var i = 0; i < sizes.Length; i++)
        {
            sizes[i] = reader.ReadInt32();
        }
        if (!sizes.SequenceEqual(Initialisation.LayerSizes))
        {
            throw new InvalidDataException($"The stream's layers [{string.Join(", ", sizes)}] differ from [{string.Join(", ", Initialisation.LayerSizes)}].");
        }
        ReadState(reader);
    }

    protected virtual void WriteState(BinaryWriter writer) => Initialisation.Write(writer);

    protected virtual void ReadState(BinaryReader reader) => Initialisation.Read(reader);

    public virtual void Dispose()
    {
        if (_optimizer.IsValueCreated)
        {
            _optimizer.Value.Dispose();
        }
        Initialisation.Dispose();
        _gradientFloor.Dispose();
        _gradientCeiling.Dispose();
        _learningRate.Dispose();
        _descentRate.Dispose();
    }
}
