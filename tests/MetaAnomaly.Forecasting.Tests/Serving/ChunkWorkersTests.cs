using MetaAnomaly.Forecasting.Serving;

namespace MetaAnomaly.Forecasting.Tests.Serving;

public sealed class ChunkWorkersTests
{
    [Fact]
    public void AWorkerRunsEveryPostOnTheSameThread()
    {
        int ThreadOf(int worker)
        {
            var id = 0;
            using var done = new ManualResetEventSlim();
            ChunkWorkers.Post(worker, () =>
            {
                id = Environment.CurrentManagedThreadId;
                done.Set();
            });
            done.Wait(TimeSpan.FromMinutes(1));
            return id;
        }

        var first = ThreadOf(1);
        var second = ThreadOf(1);
        var other = ThreadOf(0);

        Assert.NotEqual(0, first);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.NotEqual(Environment.CurrentManagedThreadId, first);
    }
}
