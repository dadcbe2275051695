using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>
/// Runs a per-task computation over a large task set a chunk of tasks at a time, so serving-time adaptation of a
/// whole cluster keeps its working memory bounded. Tasks are independent, so the result equals one big batch.
/// </summary>
internal static class TaskChunks
{
    /// <summary>Applies <paramref name="perChunk"/> (a [t, ...] result per chunk of t tasks) and concatenates along tasks.</summary>
    public static Tensor Map(TaskSet tasks, long tasksPerChunk, Func<TaskSet, Tensor> perChunk)
    {
        var total = tasks.TaskCount;
        var size = Math.Max(1, tasksPerChunk);
        if (total <= size)
        {
            return perChunk(tasks);
        }
        var parts = new List<Tensor>();
        for (long start = 0; start < total; start += size)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(size, total - start);
            var chunk = new TaskSet(tasks.Inputs.narrow(0, start, length), tasks.Targets.narrow(0, start, length), tasks.Mask.narrow(0, start, length));
            parts.Add(perChunk(chunk).MoveToOuterDisposeScope());
        }
        return cat(parts, 0);
    }
}
