using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MetaAnomaly.Ingest.Tests;

internal static class TestBuffers
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static SeriesBuffers Create(int capacity = 64, int megabytes = 64, FakeTimeProvider? clock = null)
    {
        var options = new IngestOptions { Buffers = { Capacity = capacity, MaxMemoryMegabytes = megabytes } };
        return new SeriesBuffers(Options.Create(options), clock ?? new FakeTimeProvider(Epoch.AddDays(1)), new IngestCounters(),
            NullLogger<SeriesBuffers>.Instance);
    }

    public static SeriesKey Key(string host = "a") => new("cpu", [new("host", host)], "usage");

    public static DataPoint[] Regular(SeriesKey key, int count, TimeSpan step, Func<int, double>? value = null, DateTimeOffset? start = null) =>
        Enumerable.Range(0, count).Select(i => new DataPoint(key, (start ?? Epoch) + step * i, value?.Invoke(i) ?? i)).ToArray();
}
