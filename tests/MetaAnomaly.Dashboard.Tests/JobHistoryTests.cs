using MetaAnomaly.Dashboard.Jobs;
using MetaAnomaly.Dashboard.Tests.Support;
using MetaAnomaly.Testing;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace MetaAnomaly.Dashboard.Tests;

/// <summary>The job history keeps every firing, including one that the process did not live to finish.</summary>
public sealed class JobHistoryTests
{
    private static readonly JobKey Held = new("held", "tests");

    [Fact]
    public async Task ARunThatTheProcessDidNotLiveToFinishIsInTheHistoryAsInterrupted()
    {
        var running = Directory.CreateTempSubdirectory("metaanomaly-jobs-").FullName;
        var restarted = Directory.CreateTempSubdirectory("metaanomaly-jobs-restarted-").FullName;
        try
        {
            await using (var host = new DashboardHost(DashboardHost.QuietSettings(), stateDirectory: running))
            {
                var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
                await scheduler.AddJob(JobBuilder.Create<HeldJob>().WithIdentity(Held).StoreDurably().Build(), AddJobOptions.Replacing);
                await scheduler.TriggerJob(Held);
                await HeldJob.Started.Task.WaitAsync(TimeSpan.FromSeconds(60));

                // What kill -9 leaves on disk while the run is in progress: the process never records its end.
                CrashImage.Copy(running, restarted);
                HeldJob.Release.TrySetResult();
            }

            await using var after = new DashboardHost(DashboardHost.QuietSettings(), stateDirectory: restarted);
            var runs = await after.Services.GetRequiredService<JobRunStore>().RecentAsync(Held.Group, Held.Name, 10, CancellationToken.None);

            var run = Assert.Single(runs);
            Assert.False(run.Succeeded);
            Assert.Equal(JobRunStore.InterruptedError, run.Error);
        }
        finally
        {
            Directory.Delete(running, recursive: true);
            Directory.Delete(restarted, recursive: true);
        }
    }

    [Fact]
    public async Task AFinishedRunIsRecordedOnceWithItsOutcome()
    {
        await using var host = new DashboardHost(DashboardHost.QuietSettings());
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var key = new JobKey("quick", "tests");
        await scheduler.AddJob(JobBuilder.Create<QuickJob>().WithIdentity(key).StoreDurably().Build(), AddJobOptions.Replacing);
        var store = host.Services.GetRequiredService<JobRunStore>();

        await scheduler.TriggerJob(key);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        IReadOnlyList<JobRun> runs;
        while ((runs = await store.RecentAsync(key.Group, key.Name, 10, CancellationToken.None)).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var run = Assert.Single(runs);
        Assert.True(run.Succeeded);
        Assert.Equal("done", run.Result);
        Assert.Null(run.Error);
    }

    /// <summary>A job that runs until the test releases it (or the scheduler stops).</summary>
    private sealed class HeldJob : IJob
    {
        public static TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        {
            Started.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
        }
    }

    private sealed class QuickJob : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        {
            context.Result = "done";
            return ValueTask.CompletedTask;
        }
    }
}
