using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Time.Testing;
using static MetaAnomaly.Ingest.Tests.TestBuffers;

namespace MetaAnomaly.Ingest.Tests.Buffers;

public sealed class SeriesBuffersTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void StepIsTheMedianSpacing()
    {
        var buffers = Create();
        var key = Key();
        var points = Regular(key, 10, Minute).ToList();
        points.Add(new DataPoint(key, Epoch + Minute * 9.5, 1));
        buffers.Ingest(points.ToArray());

        Assert.Equal(Minute, buffers.Describe(key)!.Step);
    }

    [Fact]
    public void FirstPointsArrivingShuffledStillGiveTheRealStepAndEveryPointASlot()
    {
        for (var seed = 0; seed < 300; seed++)
        {
            var buffers = Create();
            var key = Key();
            var points = Regular(key, 50, Minute);
            new Random(seed).Shuffle(points);
            foreach (var point in points)
            {
                buffers.Ingest([point]);
            }

            Assert.True(Minute == buffers.Describe(key)!.Step, $"seed {seed}: step {buffers.Describe(key)!.Step}");
            Assert.Equal(50, buffers.Describe(key)!.PointCount);
            Assert.Equal(Enumerable.Range(0, 50).Select(i => (double)i), buffers.Latest(key, 50)!.Values);
        }
    }

    [Fact]
    public void AStepFoundOnEveryOtherPointIsCorrectedWhenThePointsBetweenArrive()
    {
        var buffers = Create();
        var key = Key();
        var points = Regular(key, 20, Minute);
        buffers.Ingest([.. points.Where((_, i) => i % 2 == 0)]);
        Assert.Equal(Minute * 2, buffers.Describe(key)!.Step);

        buffers.Ingest([.. points.Where((_, i) => i % 2 == 1)]);

        Assert.Equal(Minute, buffers.Describe(key)!.Step);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (double)i), buffers.Latest(key, 20)!.Values);
    }

    [Fact]
    public void AReleasedSeriesLeavesAndComesBackRecoveredOnlyThroughThePointsReplayedAsSeen()
    {
        var buffers = Create();
        var (a, b) = (Key("a"), Key("b"));
        buffers.Ingest([.. Regular(a, 10, Minute), .. Regular(b, 10, Minute)]);

        Assert.Equal(1, buffers.Release([a, Key("never-held")]));
        Assert.False(buffers.Holds(a));
        Assert.Equal([b], buffers.ListSeries().Select(i => i.Key));

        var points = Regular(a, 20, Minute);
        buffers.Replay(points[..15]);
        buffers.Replay(points[15..], recovered: false);
        var info = buffers.Describe(a)!;
        Assert.Equal(20, info.PointCount);
        Assert.Equal(Epoch + Minute * 14, info.RecoveredThrough);
    }

    [Fact]
    public void UnknownStepGivesNoWindow()
    {
        var buffers = Create();
        buffers.Ingest(Regular(Key(), 3, Minute));

        Assert.Null(buffers.Latest(Key(), 10));
        Assert.Null(buffers.Describe(Key())!.Step);
    }

    [Fact]
    public void DuplicatesKeepTheLastWrite()
    {
        var buffers = Create();
        var key = Key();
        buffers.Ingest(Regular(key, 10, Minute));
        buffers.Ingest([new DataPoint(key, Epoch + Minute * 4, 42)]);

        var window = buffers.Latest(key, 10)!;
        Assert.Equal(42, window.Values[4]);
        Assert.Equal(10, buffers.Describe(key)!.PointCount);
    }

    [Fact]
    public void GapsAreNaNAndNotInvented()
    {
        var buffers = Create();
        var key = Key();
        buffers.Ingest(Regular(key, 10, Minute));
        buffers.Ingest([new DataPoint(key, Epoch + Minute * 13, 13)]);

        var window = buffers.Latest(key, 5)!;
        Assert.Equal(Epoch + Minute * 9, window.Start);
        Assert.Equal([9, double.NaN, double.NaN, double.NaN, 13], window.Values);
        Assert.Equal(3, window.GapCount);
    }

    [Fact]
    public void OutOfOrderPointsWithinTheRingFillTheirSlot()
    {
        var buffers = Create();
        var key = Key();
        var points = Regular(key, 20, Minute);
        buffers.Ingest(points.Where((_, i) => i != 7).ToArray());
        buffers.Ingest([points[7]]);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => (double)i), buffers.Latest(key, 20)!.Values);
    }

    [Fact]
    public void RingKeepsOnlyTheLatestCapacityAndCountsOlderPointsAsTooOld()
    {
        var buffers = Create(capacity: 16);
        var key = Key();
        buffers.Ingest(Regular(key, 40, Minute));
        var outcome = buffers.Ingest([new DataPoint(key, Epoch + Minute * 5, -1)]);

        var window = buffers.Latest(key, 100)!;
        Assert.Equal(16, window.Count);
        Assert.Equal(24, window.Values[0]);
        Assert.Equal(39, window.Values[^1]);
        Assert.Equal(new IngestOutcome(0, 0, 0, 0, SkippedTooOld: 1), outcome);
    }

    [Fact]
    public void RangeReturnsTheInclusiveSlots()
    {
        var buffers = Create();
        var key = Key();
        buffers.Ingest(Regular(key, 30, Minute));

        var window = buffers.Range(key, Epoch + Minute * 10, Epoch + Minute * 12)!;
        Assert.Equal([10, 11, 12], window.Values);
        Assert.Equal(Epoch + Minute * 10, window.Start);
    }

    [Fact]
    public void NonFiniteValuesAreSkippedAndCounted()
    {
        var buffers = Create();
        var key = Key();
        var outcome = buffers.Ingest(
        [
            new DataPoint(key, Epoch, double.NaN),
            new DataPoint(key, Epoch + Minute, double.PositiveInfinity),
            new DataPoint(key, Epoch + Minute * 2, double.NegativeInfinity),
            new DataPoint(key, Epoch + Minute * 3, 1),
        ]);

        Assert.Equal(new IngestOutcome(1, 3, 0, 0), outcome);
    }

    [Fact]
    public void ImplausibleTimestampsAreSkippedForExternalSourcesOnly()
    {
        var clock = new FakeTimeProvider(Epoch);
        var buffers = Create(clock: clock);
        var key = Key();
        DataPoint[] points =
        [
            new(key, DateTimeOffset.UnixEpoch, 1),
            new(key, Epoch.AddYears(50), 2),
            new(key, Epoch.AddMinutes(-1), 3),
        ];

        Assert.Equal(new IngestOutcome(1, 0, 2, 0), buffers.Ingest(points));
        Assert.Equal(3, buffers.IngestReplay(points).Accepted);
    }

    [Fact]
    public void MemoryBoundRefusesNewSeriesButKeepsExistingOnes()
    {
        var buffers = Create(capacity: 65536, megabytes: 1);
        Assert.Equal(2, buffers.MaxSeries);
        var outcome = buffers.Ingest(
        [
            new DataPoint(Key("a"), Epoch, 1),
            new DataPoint(Key("b"), Epoch, 1),
            new DataPoint(Key("c"), Epoch, 1),
            new DataPoint(Key("a"), Epoch + Minute, 2),
        ]);

        Assert.Equal(new IngestOutcome(3, 0, 0, 1), outcome);
        Assert.Equal(2, buffers.ListSeries().Count);
        Assert.Null(buffers.Describe(Key("c")));
    }

    [Fact]
    public async Task ConcurrentWritersAndReadersLoseNothing()
    {
        var buffers = Create(capacity: 1024);
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            foreach (var chunk in Regular(Key("h" + w % 4), 1000, Minute, i => i).Chunk(7))
            {
                buffers.Ingest(chunk);
            }
        }));
        var reader = Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                foreach (var info in buffers.ListSeries())
                {
                    buffers.Latest(info.Key, 100);
                }
            }
        });
        await Task.WhenAll(writers.Append(reader));

        for (var h = 0; h < 4; h++)
        {
            var window = buffers.Latest(Key("h" + h), 1000)!;
            Assert.Equal(Enumerable.Range(0, 1000).Select(i => (double)i), window.Values);
        }
    }
}
