using System.Text;
using MetaAnomaly.Ingest.LineProtocol;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Ingest.Tests.LineProtocol;

public sealed class SeriesKeyCacheTests
{
    [Fact]
    public void TheCacheStaysUnderItsByteBoundWhateverTheNames()
    {
        var cache = new SeriesKeyCache(maxKeyBytes: 65535, maxCacheBytes: 256 * 1024);
        var body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => $"cpu,host={i}{new string('x', 1000)} usage=1 1\n")));

        var points = new List<DataPoint>();
        var summary = new PointDecoder(cache).Decode(body, 1_000_000_000, DateTimeOffset.UtcNow, points);

        Assert.Equal(2000, summary.Points);
        Assert.InRange(cache.CachedBytes, 1, 256 * 1024);
        Assert.Equal(2000, points.Select(p => p.Key).Distinct().Count());
    }

    [Fact]
    public void KeysTheAdmissionRefusesAreReturnedButNotCached()
    {
        var cache = new SeriesKeyCache(admits: key => key.Tag("host") == "kept");
        var body = "cpu,host=kept usage=1 1\ncpu,host=refused usage=1 1\n"u8.ToArray();

        var points = new List<DataPoint>();
        new PointDecoder(cache).Decode(body, 1_000_000_000, DateTimeOffset.UtcNow, points);

        Assert.Equal(["kept", "refused"], points.Select(p => p.Key.Tag("host")));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void FieldsOfOneSeriesInAnyOrderEachGetOneCachedKey()
    {
        var cache = new SeriesKeyCache();
        var body = "cpu,host=a user=1,system=2 1\ncpu,host=a system=3,user=4,idle=5 2\ncpu,host=b user=6 3\n"u8.ToArray();

        var points = new List<DataPoint>();
        new PointDecoder(cache).Decode(body, 1_000_000_000, DateTimeOffset.UtcNow, points);

        Assert.Equal(["cpu,host=a#user", "cpu,host=a#system", "cpu,host=a#system", "cpu,host=a#user", "cpu,host=a#idle", "cpu,host=b#user"],
            points.Select(p => p.Key.ToString()));
        Assert.Same(points[0].Key, points[3].Key);
        Assert.Same(points[1].Key, points[2].Key);
        Assert.Equal(4, cache.Count);
    }
}
