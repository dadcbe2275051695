using MetaAnomaly.Detection.Scoring;

namespace MetaAnomaly.Detection.Tests.Scoring;

public sealed class FlatlineMemoryTests
{
    [Theory]
    [InlineData(new[] { 1, 8, 1, 3, 1 }, 8)]
    [InlineData(new[] { 1, 2, 1, 1, 2 }, 5)]
    public void ARunLongerThanBothTheLongestInMemoryAndTheMinimumIsStuck(int[] lastRuns, int stuckAfter)
    {
        var memory = new FlatlineMemory(capacity: 200, minPoints: 5);
        Runs(memory, [.. Enumerable.Repeat(1, 200), .. lastRuns]);

        var stuck = Enumerable.Range(0, 12).Select(_ => memory.Add(9)).ToArray();

        Assert.Equal(Enumerable.Range(1, 12).Select(run => run > stuckAfter), stuck);
    }

    [Fact]
    public void NoRecordIsTrustedBeforeTheMemoryHasSeenItsWholeSpan()
    {
        var young = new FlatlineMemory(capacity: 500, minPoints: 5);
        Runs(young, [.. Enumerable.Repeat(1, 200), 1, 8, 1, 3, 1]);

        Assert.DoesNotContain(true, Enumerable.Range(0, 100).Select(_ => young.Add(9)));
    }

    [Fact]
    public void ASeriesThatNeverChangedOrChangesOnlyNowAndThenIsNeverStuck()
    {
        var constant = new FlatlineMemory(capacity: 300, minPoints: 5);
        var steps = new FlatlineMemory(capacity: 300, minPoints: 5);
        Runs(steps, [.. Enumerable.Repeat(10, 20)]);

        Assert.All(Enumerable.Range(0, 300), _ => Assert.False(constant.Add(3)));
        Assert.All(Enumerable.Range(0, 300), _ => Assert.False(steps.Add(3)));
    }

    [Fact]
    public void ARecordOlderThanTheMemoryNoLongerCounts()
    {
        var recent = new FlatlineMemory(capacity: 200, minPoints: 5);
        var expired = new FlatlineMemory(capacity: 200, minPoints: 5);
        Runs(recent, [40, .. Enumerable.Repeat(1, 170)]);
        Runs(expired, [40, .. Enumerable.Repeat(1, 260)]);

        Assert.DoesNotContain(true, Enumerable.Range(0, 10).Select(_ => recent.Add(9)));
        Assert.Equal(Enumerable.Range(1, 10).Select(run => run > 5), Enumerable.Range(0, 10).Select(_ => expired.Add(9)));
    }

    /// <summary>Runs of the given lengths, each of a value the one before it did not have.</summary>
    private static void Runs(FlatlineMemory memory, params int[] lengths)
    {
        var value = 100.0;
        foreach (var length in lengths)
        {
            value += 1;
            for (var i = 0; i < length; i++)
            {
                memory.Add(value);
            }
        }
    }
}
