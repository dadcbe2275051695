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
        var surprises = new[] { 4.0, 6.2, 6.1, 10.5, 12, 0, 0, 0 };

        var changes = surprises.Select((s, i) => tracker.Observe(Point(i, s), "c1", Synthetic.Start)).ToArray();

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

        var opened = tracker.Observe(Point(0, 4.0), "c1", Synthetic.Start);
        var closed = tracker.Observe(Point(1, 0), "c1", Synthetic.Start);
        var repeat = tracker.Observe(Point(3, 12), "c1", Synthetic.Start);

        Assert.Equal(EventChangeKind.Opened, opened?.Kind);
        Assert.Equal(EventChangeKind.Closed, closed?.Kind);
        Assert.Equal(EventChangeKind.Escalated, repeat?.Kind);
        Assert.True(repeat!.Event.Open);
        Assert.Equal(AnomalySeverity.Critical, repeat.Event.Severity);
    }

    [Fact]
    public void SeverityFollowsTheEventsLargestAnomalyScoreAlone()
    {
        var tracker = new EventTracker("cpu,host=a#usage", new EventOptions(), new SeverityOptions());

        tracker.Observe(Point(0, 10.5), "c1", Synthetic.Start);
        var extended = tracker.Observe(Point(1, 4.0), "c1", Synthetic.Start)!.Event;

        Assert.Equal(10.5, extended.Surprise);
        Assert.InRange(extended.AnomalyScore, 80, 100);
        Assert.Equal(AnomalySeverity.Critical, extended.Severity);
    }

    private static ScoredPoint Point(int index, double surprise)
    {
        var anomalous = surprise >= 3.719;
        return new ScoredPoint(Synthetic.Start + Synthetic.Step * index, 90, 50, 1, 40, TailProbabilityCalibrator.NormalCdf(surprise), surprise, true,
            anomalous, anomalous ? "default" : null, 0.9999);
    }
}
