using MetaAnomaly.Cluster.Sharding;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Cluster.Tests;

public sealed class ShardPointsTests
{
    [Fact]
    public void PointsTravelGroupedBySeriesAndComeBackInEachSeriesOrder()
    {
        var a = SeriesKey.Parse("cpu,host=a#usage");
        var b = SeriesKey.Parse("cpu,host=b#usage");
        var t = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        DataPoint[] points = [new(a, t, 1), new(b, t, 10), new(a, t.AddSeconds(1), 2), new(b, t.AddSeconds(1), 20), new(a, t.AddSeconds(2), 3)];

        var shard = ShardPoints.Of(points);

        Assert.Equal(["cpu,host=a#usage", "cpu,host=b#usage"], shard.Series);
        Assert.Equal([3, 2], shard.Counts);
        var back = shard.ToDataPoints(SeriesKey.Parse);
        Assert.Equal([1.0, 2, 3, 10, 20], back.Select(p => p.Value));
        Assert.Equal(points.Where(p => p.Key == a).Concat(points.Where(p => p.Key == b)), back);
    }

    [Fact]
    public void TimestampsKeepTheirInstantWhateverTheirOffset()
    {
        var key = SeriesKey.Parse("cpu#usage");
        var local = new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.FromHours(2));
        var back = ShardPoints.Of([new DataPoint(key, local, 1)]).ToDataPoints(SeriesKey.Parse).Single();
        Assert.Equal(local, back.Timestamp);
        Assert.Equal(TimeSpan.Zero, back.Timestamp.Offset);
    }
}
