using System.Collections.Immutable;
using MetaAnomaly.Forecasting.Episodes;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>
/// A cluster's adapted chunks (or those of the series in cold start), in one layout, as serving reads them. Never changed once built: a catch-up publishes a
/// new snapshot with the previous chunks and its own, a full adaptation one with its own chunks only.
/// </summary>
internal sealed class ServingSnapshot(string clusterId, EpisodeLayout layout, ImmutableArray<ServedChunk> chunks)
{
    public string ClusterId { get; } = clusterId;

    public EpisodeLayout Layout { get; } = layout;

    public ImmutableArray<ServedChunk> Chunks { get; } = chunks;

    /// <summary>What the series in cold start are served from, in words; null for a cluster's snapshot.</summary>
    public string? ColdStartSource { get; init; }

    public void DisposeChunks()
    {
        foreach (var chunk in Chunks)
        {
            chunk.Dispose();
        }
    }
}
