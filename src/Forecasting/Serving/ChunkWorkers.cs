using System.Collections.Concurrent;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// The process's chunk-adaptation threads: started on first use and kept, so that every adaptation round reuses the
/// same threads, and with them their warm native memory (glibc's per-thread heap, MKL's per-thread buffers).
/// </summary>
/// <remarks>
/// Threads started per round begin with cold memory: every page their allocations first touch is a page fault, about
/// 10 microseconds each on this project's virtual machines. Measured on the adapt benchmark (100,000 series, 2 chunks
/// at once, 2 cores shared with other work), a later day's adaptation took 4.8 s (9.2 s of CPU) with threads started
/// per round and 3.5 s (6.8 s of CPU) with these in back-to-back runs; later runs with these ranged 3.5 to 5.1 s.
/// </remarks>
internal static class ChunkWorkers
{
    private static readonly List<BlockingCollection<Action>> Queues = [];

    /// <summary>Runs <paramref name="work"/> on worker <paramref name="worker"/> (started if new); the work must not throw.</summary>
    public static void Post(int worker, Action work)
    {
        BlockingCollection<Action> queue;
        lock (Queues)
        {
            while (Queues.Count <= worker)
            {
                var created = new BlockingCollection<Action>();
                new Thread(() =>
                {
                    foreach (var item in created.GetConsumingEnumerable())
                    {
                        item();
                    }
                })
                { IsBackground = true, Name = $"chunk-adaptation-{Queues.Count}" }.Start();
                Queues.Add(created);
            }
            queue = Queues[worker];
        }
        queue.Add(work);
    }
}
