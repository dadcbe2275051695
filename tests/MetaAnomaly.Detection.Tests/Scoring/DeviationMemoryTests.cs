using MetaAnomaly.Detection.Scoring;

namespace MetaAnomaly.Detection.Tests.Scoring;

public sealed class DeviationMemoryTests
{
    [Fact]
    public void ADeviationFromAboutTheSameForecastByAboutTheSameResidualIsSeen()
    {
        var memory = Ordinary(new DeviationMemory(capacity: 500, exclusion: 0, toleranceFraction: 0.15), 200);
        memory.Add(20, 80, notable: true);

        Assert.True(memory.Seen(25, 82));
        Assert.False(memory.Seen(60, 120));
        Assert.False(memory.Seen(20, 50));
        Assert.False(memory.Seen(20, -40));
    }

    [Fact]
    public void PointsAddedAsOrdinaryNeverMakeADeviationSeen()
    {
        var memory = Ordinary(new DeviationMemory(capacity: 500, exclusion: 0, toleranceFraction: 0.15), 200);
        memory.Add(20, 30, notable: false);

        Assert.False(memory.Seen(20, 30));
        Assert.False(memory.Seen(50, 53));
    }

    [Fact]
    public void TheLatestPointsAreNotMatchedSoAnOngoingShiftIsNotExcusedByItsOwnStart()
    {
        var memory = Ordinary(new DeviationMemory(capacity: 500, exclusion: 3, toleranceFraction: 0.15), 200);
        memory.Add(20, 80, notable: true);
        memory.Add(20, 80, notable: true);
        memory.Add(20, 80, notable: true);

        Assert.False(memory.Seen(20, 80));
        memory.Add(50, 50, notable: false);
        Assert.True(memory.Seen(20, 80));
    }

    [Fact]
    public void PointsBeyondTheCapacityAreForgotten()
    {
        var memory = new DeviationMemory(capacity: 50, exclusion: 0, toleranceFraction: 0.15);
        memory.Add(20, 80, notable: true);
        Ordinary(memory, 49);
        Assert.True(memory.Seen(20, 80));

        memory.Add(50, 50, notable: false);

        Assert.False(memory.Seen(20, 80));
    }

    /// <summary>Points forecast exactly, their values sweeping 0..100 so the tolerance is 15 % of that range.</summary>
    private static DeviationMemory Ordinary(DeviationMemory memory, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var value = 100.0 * (i % 50) / 49;
            memory.Add(value, value, notable: false);
        }
        return memory;
    }
}
