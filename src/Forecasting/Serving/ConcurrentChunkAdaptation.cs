using System.Runtime.ExceptionServices;
using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// Adapts the chunks of a cluster on several CPU threads at once, each thread running whole chunks with one torch
/// intra-op thread. Chunks are independent, so the results equal <see cref="ChunkAdaptation.Adapt"/> chunk by chunk.
/// The threads are the process's <see cref="ChunkWorkers"/>, the same for every call.
/// </summary>
/// <remarks>
/// Why not one chunk at a time with torch's intra-op threads: a chunk's products are small (26 x 40 per series), and
/// its support building, residual scale and rolled forecast are serial C# or tiny ops, so the intra-op threads idle
/// for much of a chunk; and on a busy machine libtorch's OpenMP workers wait on each other at every op (measured on
/// this 2-core machine under load: two intra-op threads 5 to 7 times slower than one). Whole chunks per thread share
/// nothing but the learner's meta-parameters, which adaptation only reads.
/// Only the gradient learners (MAML, FOMAML, Reptile, Meta-SGD) are known to adapt without shared mutable state, and
/// only the CPU gains; anything else runs its chunks one after another on the calling thread.
/// </remarks>
public static class ConcurrentChunkAdaptation
{
    /// <summary>
    /// Adapts <paramref name="chunks"/> on up to <paramref name="workers"/> threads; returns one result per chunk, in
    /// order. On failure or cancellation every chunk already adapted is disposed before the exception surfaces.
    /// <paramref name="distrusted"/>, when given, holds each chunk's series that must serve their anchor;
    /// <paramref name="innerLoop"/> false serves the initialisation (<see cref="ChunkAdaptation.Adapt"/>).
    /// </summary>
    public static AdaptedChunk[] Adapt(IMetaLearner learner, IReadOnlyList<IReadOnlyList<SeriesSegment>> chunks, EpisodeLayout layout, int horizon,
        int workers, CancellationToken cancellationToken = default, IReadOnlyList<IReadOnlyList<bool>>? distrusted = null, bool innerLoop = true)
    {
        var results = new AdaptedChunk?[chunks.Count];
        var threads = Math.Min(workers, chunks.Count);
        if (threads <= 1 || !RunsConcurrently(learner))
        {
            try
            {
                for (var i = 0; i < chunks.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    results[i] = ChunkAdaptation.Adapt(learner, chunks[i], layout, horizon, distrusted?[i], innerLoop);
                }
            }
            catch
            {
                DisposeAll(results);
                throw;
            }
            return results!;
        }

        var intraOpThreads = torch.get_num_threads();
        var next = -1;
        Exception? failure = null;
        using var done = new CountdownEvent(threads);
        var posted = 0;
        try
        {
            for (; posted < threads; posted++)
            {
                ChunkWorkers.Post(posted, () =>
                {
                    try
                    {
                        torch.set_num_threads(1);
                        int i;
                        while (Volatile.Read(ref failure) is null && !cancellationToken.IsCancellationRequested
                            && (i = Interlocked.Increment(ref next)) < chunks.Count)
                        {
                            results[i] = ChunkAdaptation.Adapt(learner, chunks[i], layout, horizon, distrusted?[i], innerLoop);
                        }
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref failure, e, null);
                    }
                    finally
                    {
                        done.Signal();
                    }
                });
            }
        }
        catch (Exception e)
        {
            // A worker that could not start: the ones posted finish the chunks; the failure surfaces once they are done.
            Interlocked.CompareExchange(ref failure, e, null);
            done.Signal(threads - posted);
        }
        done.Wait(CancellationToken.None);
        // The workers' set_num_threads(1) also set libtorch's default for threads that start later; restore it.
        torch.set_num_threads(intraOpThreads);
        if (failure is not null || cancellationToken.IsCancellationRequested)
        {
            DisposeAll(results);
            cancellationToken.ThrowIfCancellationRequested();
            ExceptionDispatchInfo.Throw(failure!);
        }
        return results!;
    }

    private static bool RunsConcurrently(IMetaLearner learner) =>
        learner is GradientMetaLearner && learner.Settings.Device.type == DeviceType.CPU;

    private static void DisposeAll(AdaptedChunk?[] results)
    {
        foreach (var chunk in results)
        {
            chunk?.Dispose();
        }
    }
}
