using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Ingest.Buffers;

/// <summary>All rings at one moment: those with a step, and the points of the series still waiting for theirs.</summary>
internal sealed record BufferSnapshot(IReadOnlyList<RingSnapshot> Rings, IReadOnlyList<DataPoint> Pending);
