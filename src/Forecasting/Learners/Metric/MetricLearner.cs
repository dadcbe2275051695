using System.Text;
using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaAnomaly.Forecasting.Learners.Metric;

/// <summary>
/// What the four metric learners share: episodic meta-training of an encoder and head with Adam, adaptation as one
/// no-gradient forward pass that embeds each task's support set (<see cref="EmbeddedSupport"/>), serving from the
/// stored embeddings, and save/load of the modules. A learner supplies its network and its read-out
/// <see cref="Predict"/>; it may replace the training objective (<see cref="TrainingLoss"/>).
/// Everything is batched over tasks: one forward pass per chunk of series, on <see cref="LearnerSettings.Device"/>.
/// </summary>
internal abstract class MetricLearner<TNetwork> : IMetaLearner
    where TNetwork : Module, IMetricNetwork
{
    private KeptScalarAdam _optimizer;

    protected MetricLearner(string name, LearnerSettings settings, Func<TNetwork> createNetwork)
    {
        if (settings.InputSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.InputSize, "InputSize must be positive.");
        }
        Name = name;
        Settings = settings;
        random.manual_seed(settings.Seed);
        Network = createNetwork();
        Network.to(settings.Device);
        _optimizer = new KeptScalarAdam(Network.parameters(), settings.MetaLearningRate);
    }

    public string Name { get; }

    public LearnerFamily Family => LearnerFamily.Metric;

    public LearnerSettings Settings { get; }

    protected TNetwork Network { get; }

    public double MetaTrainStep(EpisodeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        CheckFeatures(batch.Support.Inputs);
        using var scope = NewDisposeScope();
        Network.train();
        var support = EmbedSupport(batch.Support);
        var (queryObserved, queryTargets) = EmbeddedSupport.ObservedTargets(batch.Query);
        var prediction = Predict(support, EmbeddedSupport.ObservedInputs(batch.Query, queryObserved));
        var queryLoss = FunctionalMlp.TaskLosses(prediction, queryTargets, queryObserved.to_type(prediction.dtype)).mean();
        var loss = TrainingLoss(batch, support, queryLoss);
        _optimizer.ZeroGrad();
        loss.backward();
        _optimizer.Step();
        return queryLoss.item<float>();
    }

    public IAdaptedBatch Adapt(TaskSet support)
    {
        ArgumentNullException.ThrowIfNull(support);
        CheckFeatures(support.Inputs);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Network.eval();
        return new AdaptedBatch(this, EmbedSupport(support));
    }

    public IAdaptedBatch Restack(IReadOnlyList<AdaptedTaskState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        return new AdaptedBatch(this,
            EmbeddedSupport.Restack(Name, Network.Encoder.EmbeddingSize, states, Settings.Device));
    }

    public void Save(Stream destination)
    {
        using var writer = new BinaryWriter(destination, Encoding.UTF8, leaveOpen: true);
        writer.Write(Name);
        writer.Write(Layout);
        Network.save(writer);
    }

    public void Load(Stream source)
    {
        using var reader = new BinaryReader(source, Encoding.UTF8, leaveOpen: true);
        var stored = reader.ReadString();
        if (stored != Name)
        {
            throw new InvalidDataException($"The stream holds a '{stored}' learner, not '{Name}'.");
        }
        var layout = reader.ReadString();
        if (layout != Layout)
        {
            throw new InvalidDataException(
                $"The stream's '{Name}' modules ({layout}) differ from this learner's ({Layout}).");
        }
        Network.load(reader);
        // Loading can replace the parameter tensors (it does on CUDA), and the saved state carries no optimiser moments:
        // meta-training after a load starts a fresh optimiser over the loaded parameters.
        _optimizer.Dispose();
        _optimizer = new KeptScalarAdam(Network.parameters(), Settings.MetaLearningRate);
    }

    /// <summary>The modules' parameter names and shapes, so a state saved with other options is refused by name.</summary>
    private string Layout => string.Join("; ",
        Network.state_dict().Select(p => $"{p.Key} [{string.Join(", ", p.Value.shape)}]"));

    /// <summary>Embeds each task's observed support windows, [T, K, D] to [T, K, E]; differentiable.</summary>
    protected virtual EmbeddedSupport EmbedSupport(TaskSet support)
    {
        using var scope = NewDisposeScope();
        var (observed, targets) = EmbeddedSupport.ObservedTargets(support);
        var embeddings = Network.Encoder.forward(EmbeddedSupport.ObservedInputs(support, observed))
            .Fill(observed.logical_not().unsqueeze(-1), 0);
        return new EmbeddedSupport(embeddings, targets, observed).MoveToOuterDisposeScope();
    }

    /// <summary>Predicts query targets [T, Q] from the embedded support and the query inputs [T, Q, D]; differentiable.</summary>
    protected abstract Tensor Predict(EmbeddedSupport support, Tensor queryInputs);

    /// <summary>The objective the optimiser minimises; by default the query's mean squared error (mean over tasks).</summary>
    protected virtual Tensor TrainingLoss(EpisodeBatch batch, EmbeddedSupport support, Tensor queryLoss) => queryLoss;

    private void CheckFeatures(Tensor inputs)
    {
        if (inputs.dim() != 3 || inputs.shape[2] != Settings.InputSize)
        {
            throw new ArgumentException(
                $"Expected inputs [T, N, {Settings.InputSize}], got [{string.Join(", ", inputs.shape)}].", nameof(inputs));
        }
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        Network.Dispose();
    }

    /// <summary>Owns <paramref name="support"/>: its tensors leave the dispose scope they were made in.</summary>
    private sealed class AdaptedBatch(MetricLearner<TNetwork> learner, EmbeddedSupport support) : IAdaptedBatch
    {
        private readonly EmbeddedSupport _support = support.DetachFromDisposeScope();

        public int TaskCount => _support.TaskCount;

        public Tensor Predict(Tensor queryInputs)
        {
            learner.CheckFeatures(queryInputs);
            if (queryInputs.shape[0] != TaskCount)
            {
                throw new ArgumentException(
                    $"Expected {TaskCount} tasks of query inputs, got {queryInputs.shape[0]}.", nameof(queryInputs));
            }
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            learner.Network.eval();
            return learner.Predict(_support, queryInputs).MoveToOuterDisposeScope();
        }

        public AdaptedTaskState Slice(int task)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(task);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(task, TaskCount);
            return _support.Slice(learner.Name, task);
        }

        public void Dispose() => _support.Dispose();
    }
}
