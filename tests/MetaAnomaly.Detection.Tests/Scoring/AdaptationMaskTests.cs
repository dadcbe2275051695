using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Scoring;
using MetaAnomaly.Detection.Tests.Support;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Tests.Scoring;

public sealed class AdaptationMaskTests
{
    [Fact]
    public void MasksConfirmedAndHighProbabilityEventsButNotDismissedOrWeakOnes()
    {
        var mask = new AnomalyAdaptationMask(Options.Create(new DetectionOptions { MaskProbability = 0.9999 }));
        var key = Synthetic.Key();
        var strong = Event(key.ToString(), 0, 0.99999, AnomalyFeedbackKind.None);
        var weak = Event(key.ToString(), 2, 0.999, AnomalyFeedbackKind.None);
        var confirmedWeak = Event(key.ToString(), 4, 0.999, AnomalyFeedbackKind.Confirmed);
        foreach (var anomaly in new[] { strong, weak, confirmedWeak })
        {
            mask.Track(anomaly);
        }

        var masked = mask.MaskedIntervals(key, Synthetic.Start, Synthetic.Start.AddDays(1));
        Assert.Equal([strong.Start, confirmedWeak.Start], masked.Select(i => i.Start));

        mask.Track(strong with { Feedback = AnomalyFeedbackKind.Dismissed });
        Assert.Equal([confirmedWeak.Start], mask.MaskedIntervals(key, Synthetic.Start, Synthetic.Start.AddDays(1)).Select(i => i.Start));
        Assert.Empty(mask.MaskedIntervals(Synthetic.Key("other"), Synthetic.Start, Synthetic.Start.AddDays(1)));
    }

    private static AnomalyEvent Event(string series, int hour, double probability, AnomalyFeedbackKind feedback)
    {
        var start = Synthetic.Start.AddHours(hour);
        return new AnomalyEvent(0, series, "c1", start, start.AddMinutes(15), start, 10, 5, 4, 6, 8, probability,
            AnomalySeverity.High, AnomalyDirection.Up, "default", false, 3, feedback, start);
    }
}
