using MetaAnomaly.Cluster.Sharding;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Cluster.Tests;

public sealed class ShardMapTests
{
    [Fact]
    public void ShardOfAKeyIsPinnedSoThatStoredPointsAreFoundAgainAfterAnUpgrade()
    {
        // FNV-1a 64 of the UTF-8 key: changing the hash would hide every stored point from its shard.
        var map = new ShardMap(64);
        Assert.Equal(Fnv1a("cpu,host=a#usage") % 64, (ulong)map.ShardOf(SeriesKey.Parse("cpu,host=a#usage")));
        Assert.Equal(Fnv1a("mem,host=ünïcode#free") % 64, (ulong)map.ShardOf(SeriesKey.Parse("mem,host=ünïcode#free")));
    }

    [Fact]
    public void SameSeriesGetsTheSameShardWhateverItsTagOrder()
    {
        var map = new ShardMap(16);
        var a = new SeriesKey("cpu", [new("host", "a"), new("dc", "eu")], "idle");
        var b = new SeriesKey("cpu", [new("dc", "eu"), new("host", "a")], "idle");
        Assert.Equal(map.ShardOf(a), map.ShardOf(b));
    }

    [Fact]
    public void ManySeriesSpreadOverEveryShard()
    {
        var map = new ShardMap(16);
        var counts = new int[16];
        for (var i = 0; i < 1600; i++)
        {
            counts[map.ShardOf(SeriesKey.Parse($"cpu,host=h{i}#usage"))]++;
        }
        Assert.All(counts, count => Assert.InRange(count, 50, 150));
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }
}
