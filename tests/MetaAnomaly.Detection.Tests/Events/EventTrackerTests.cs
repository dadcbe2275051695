using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Tests.Support;

namespace MetaAnomaly.Detection.Tests.Events;

public sealed class EventTrackerTests
{
    [Fact]
    public void AnOpenEventEscalatesOnlyWhenItsSeverityRisesABand()
    {
        var tracker = new EventTracker("cpu,host=a#usage", new EventOptions(), new SeverityOptions());
        var probabilities = new[] { 0.99992, 0.999995, 0.999993, 0.9999995, 0.99999999, 0.5, 0.5, 0.5 };

        var changes = probabilities.Select((p, i) => tracker.Observe(Point(i, p), "c1", Synthetic.Start)).ToArray();

        Assert.Equal(
            [EventChangeKind.Opened, EventChangeKind.Escalated, EventChangeKind.Extended, EventChangeKind.Escalated, EventChangeKind.Extended, null, null, EventChangeKind.Closed],
            changes.Select(c => c?.Kind));
        Assert.Equal(
            [AnomalySeverity.Low, AnomalySeverity.High, AnomalySeverity.High, AnomalySeverity.Critical, AnomalySeverity.Critical],
            changes.Take(5).Select(c => c!.Event.Severity));
    }

    [Fact]
    public void ARepeatWithinTheCoolDownThatIsMoreSevereEscalatesTheEventInsteadOfOpeningANewOne()
    {
        var tracker = new EventTracker("cpu,host=a#usage", new EventOptions { ReturnToNormalPoints = 1, CoolDown = TimeSpan.FromHours(1) }, new SeverityOptions());

        var opened = tracker.Observe(Point(0, 0.99992), "c1", Synthetic.Start);
        var closed = tracker.Observe(Point(1, 0.5), "c1", Synthetic.Start);
        var repeat = tracker.Observe(Point(3, 0.99999999), "c1", Synthetic.Start);

        Assert.Equal(EventChangeKind.Opened, opened?.Kind);
        Assert.Equal(EventChangeKind.Closed, closed?.Kind);
        Assert.Equal(EventChangeKind.Escalated, repeat?.Kind);
        Assert.True(repeat!.Event.Open);
        Assert.Equal(AnomalySeverity.Critical, repeat.Event.Severity);
    }

    private static ScoredPoint Point(int index, double probability)
    {
        var anomalous = probability >= 0.9999;
        return new ScoredPoint(Synthetic.Start + Synthetic.Step * index, 90, 50, 1, 40, probability, TailProbabilityCalibrator.Deviate(40), true,
            anomalous, anomalous ? "default" : null, 0.9999);
    }
}
