using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Tests.Support;
using MetaAnomaly.Detection.Webhooks;

namespace MetaAnomaly.Detection.Tests.Webhooks;

public sealed class WebhookPayloadTests
{
    [Fact]
    public void ThePayloadCarriesTheReasonTheEventWasRaised()
    {
        var at = Synthetic.Start;
        var anomaly = new AnomalyEvent(7, "cpu,host=a#usage", "c1", at, at, at, 20, 10, 8, 12, 5, 0.99999, AnomalySeverity.Medium,
            AnomalyDirection.Up, "default", true, 1, AnomalyFeedbackKind.None, at, "residual 5.0 scales above the forecast");

        var json = WebhookPayload.Create(anomaly, WebhookPayload.OpenedType, "http://127.0.0.1:5080", at).Serialize();

        Assert.Contains("\"reason\":\"residual 5.0 scales above the forecast\"", json);
    }

    [Fact]
    public void ThePayloadCarriesTheZeroToHundredScoreAndTheOneSentenceExplanation()
    {
        var at = Synthetic.Start;
        var anomaly = new AnomalyEvent(7, "cpu,host=a#usage", "c1", at, at, at, 20, 10, 8, 12, 5, 0.99999, AnomalySeverity.High,
            AnomalyDirection.Up, "default", true, 1, AnomalyFeedbackKind.None, at, Surprise: 6.5);

        using var json = System.Text.Json.JsonDocument.Parse(WebhookPayload.Create(anomaly, WebhookPayload.OpenedType, "http://127.0.0.1:5080", at).Serialize());
        var body = json.RootElement.GetProperty("anomaly");

        Assert.Equal(63.4, body.GetProperty("anomalyScore").GetDouble());
        Assert.Equal(AnomalyExplanation.Sentence(anomaly), body.GetProperty("explanation").GetString());
        Assert.Contains(AnomalyExplanation.Sentence(anomaly), json.RootElement.GetProperty("text").GetString());
    }
}
