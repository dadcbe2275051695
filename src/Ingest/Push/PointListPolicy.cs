using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.ObjectPool;

namespace MetaAnomaly.Ingest.Push;

/// <summary>
/// Pools the point lists that push requests decode into: a list of a 5,000-line batch is large enough for the
/// large-object heap, and one per request made the collector run every few requests. A list grown past
/// <see cref="MaxRetainedPoints"/> is left to the collector.
/// </summary>
internal sealed class PointListPolicy : PooledObjectPolicy<List<DataPoint>>
{
    public const int MaxRetainedPoints = 1 << 20;

    public override List<DataPoint> Create() => [];

    public override bool Return(List<DataPoint> points)
    {
        if (points.Capacity > MaxRetainedPoints)
        {
            return false;
        }
        points.Clear();
        return true;
    }
}
