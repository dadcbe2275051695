using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Tests.Support;

namespace MetaAnomaly.Detection.Tests.Scoring;

public sealed class RecurrenceMemoryTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(30);

    [Fact]
    public void ReferenceIsTheSmallestOfTheDailyMaximaWithinTheTolerance()
    {
        var memory = new RecurrenceMemory(Day, Tolerance, repeats: 2);
        var night = Synthetic.Start.AddHours(3);
        memory.Add(night, 8);
        memory.Add(night.AddMinutes(10), 5);
        memory.Add(night + Day + TimeSpan.FromMinutes(20), 6);

        Assert.Equal(6, memory.ReferenceAt(night + 2 * Day));
        Assert.Equal(0, memory.ReferenceAt(night + 2 * Day + TimeSpan.FromHours(2)));
    }

    [Fact]
    public void ADeviationMissingOnOneOfTheDaysIsNotRecurring()
    {
        var memory = new RecurrenceMemory(Day, Tolerance, repeats: 3);
        var night = Synthetic.Start.AddHours(3);
        memory.Add(night, 8);
        memory.Add(night + 2 * Day, 8);

        Assert.Equal(0, memory.ReferenceAt(night + 3 * Day));
    }

    [Fact]
    public void DeviationsOlderThanAllLookbacksAreForgotten()
    {
        var memory = new RecurrenceMemory(Day, Tolerance, repeats: 1);
        var night = Synthetic.Start.AddHours(3);
        memory.Add(night, 8);
        memory.Add(night + 2 * Day, 1);

        Assert.Equal(0, memory.ReferenceAt(night + Day));
        Assert.Equal(1, memory.ReferenceAt(night + 3 * Day));
    }
}
