using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Tests.Learners.Model;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners;

/// <summary>
/// TorchSharp 0.107 frees a Scalar left to the finalizer even while a native call still reads it
/// (dotnet/TorchSharp#1434): "Expected false to be true" from c10's Scalar::toFloat, or a wrong result. A thread that
/// collects and finalizes about a thousand times a second makes that likely within a few dozen steps for a learner that
/// leaves one anywhere on its path (meta-training, adaptation, prediction): before these learners held their Scalars,
/// one to four of the seven failed in each run here. They hold every Scalar now: a failure here means one is back.
/// Gen-0 collections find the short-lived Scalars and stay cheap whatever else is on the heap; the pause between them
/// lets the learner run at nearly its usual speed.
/// LEO is left out: its softplus makes Scalars inside TorchSharp 0.107, which offers no overload to pass kept ones. The
/// LSTM meta-learner holds its Scalars too but is left out for its cost (seconds a run here).
/// Alone in their collection: the collecting thread would slow, and expose, tests running beside them.
/// </summary>
[Collection(nameof(ScalarLifetimeTests))]
public sealed class ScalarLifetimeTests
{
    private const int Steps = 60;

    public static TheoryData<string> Learners => new("matching", "prototypical", "relation", "siamese", "metanet", "snail", "mann");

    [Theory]
    [MemberData(nameof(Learners))]
    public void TrainsAndServesWhileTheFinalizerRuns(string name)
    {
        var episodes = new SineEpisodes(seed: 5);
        var settings = new LearnerSettings(SineEpisodes.Lags, CPU, 3, [16, 16], MetaLearningRate: 0.003);
        using var learner = MetaLearnerRegistry.CreateDefault().Create(name, settings);
        using var collector = new CollectingThread();
        for (var step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            using var batch = episodes.Next(tasks: 8, support: 10, query: 5);
            learner.MetaTrainStep(batch);
            using var adapted = learner.Adapt(batch.Support);
            adapted.Predict(batch.Query.Inputs);
        }
        Assert.True(collector.Collections > 0, "The collecting thread never ran.");
    }

    private sealed class CollectingThread : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _collections;

        public CollectingThread()
        {
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    GC.Collect(0);
                    GC.WaitForPendingFinalizers();
                    Interlocked.Increment(ref _collections);
                    Thread.Sleep(1);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public long Collections => Interlocked.Read(ref _collections);

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }
}

[CollectionDefinition(nameof(ScalarLifetimeTests), DisableParallelization = true)]
public sealed class ScalarLifetimeCollection;
