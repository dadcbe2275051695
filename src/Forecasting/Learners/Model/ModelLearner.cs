using MetaAnomaly.Forecasting.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Model;

/// <summary>
/// What the model-based learners share: a network that reads each task's support into a state and reads queries out
/// against it, trained end to end on the query loss (there is no inner loop: adaptation is the forward pass).
/// </summary>
internal abstract class ModelLearner<TNetwork> : IMetaLearner
    where TNetwork : nn.Module
{
    private const double GradientNormLimit = 5.0;
    private KeptScalarAdam _optimizer;

    protected ModelLearner(string name, LearnerSettings settings, Func<Generator, TNetwork> build)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.InputSize, 1, nameof(settings.InputSize));
        Name = name;
        Settings = settings;
        using (var generator = new Generator((ulong)settings.Seed))
        {
            Network = build(generator);
        }
        Network.to(settings.Device);
        _optimizer = new KeptScalarAdam(Network.parameters(), settings.MetaLearningRate);
    }

    public string Name { get; }

    public LearnerFamily Family => LearnerFamily.Model;

    public LearnerSettings Settings { get; }

    protected TNetwork Network { get; }

    /// <summary>Reads a support set (gaps and all) into its state, building gradients when they are enabled.</summary>
    protected abstract SupportReading Read(TaskSet support);

    protected abstract SupportReading Restore(IReadOnlyList<NamedState> state);

    public double MetaTrainStep(EpisodeBatch batch)
    {
        using var scope = NewDisposeScope();
        _optimizer.ZeroGrad();
        var reading = Read(OnDevice(batch.Support));
        var query = OnDevice(batch.Query);
        var predictions = reading.Forward(nan_to_num(query.Inputs));
        var loss = FunctionalMlp.TaskLosses(predictions, nan_to_num(query.Targets), query.Mask).mean();
        loss.backward();
        nn.utils.clip_grad_norm_(Network.parameters(), GradientNormLimit);
        _optimizer.Step();
        return loss.item<float>();
    }

    public IAdaptedBatch Adapt(TaskSet support)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var reading = Read(OnDevice(support));
        reading.Keep();
        return reading;
    }

    public IAdaptedBatch Restack(IReadOnlyList<AdaptedTaskState> states) =>
        Restore(AdaptedStates.Stack(Name, states, Settings.Device));

    public void Save(Stream destination)
    {
        using var writer = new BinaryWriter(destination, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Name);
        Network.save(writer);
    }

    public void Load(Stream source)
    {
        using var reader = new BinaryReader(source, System.Text.Encoding.UTF8, leaveOpen: true);
        var name = reader.ReadString();
        if (name != Name)
        {
            throw new InvalidDataException($"The stream holds a {name} meta-state, not {Name}.");
        }
        Network.load(reader);
        // Loading can replace the parameter tensors (it does on CUDA), and the saved state carries no optimiser moments:
        // meta-training after a load starts a fresh optimiser over the loaded parameters.
        _optimizer.Dispose();
        _optimizer = new KeptScalarAdam(Network.parameters(), Settings.MetaLearningRate);
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        Network.Dispose();
    }

    private TaskSet OnDevice(TaskSet set)
    {
        if (set.FeatureCount != Settings.InputSize)
        {
            throw new ArgumentException($"{Name} was built for {Settings.InputSize} input features, got {set.FeatureCount}.", nameof(set));
        }
        var device = Settings.Device;
        return new TaskSet(set.Inputs.to(device), set.Targets.to(device), set.Mask.to(device));
    }
}
