using System.Net.Http.Json;
using System.Text.Json;

namespace MetaAnomaly.Bench.Faults;

/// <summary>
/// The whole Dashboard host on the demo with one webhook endpoint whose receiver is down (connection refused) for the
/// first half of <paramref name="outage"/> and answers 500 for the second half, then comes back. Every alert the
/// outage held back (attempted, or due, before the receiver came back) must be delivered within <c>MaxBackoff</c>
/// (one probe of an open circuit) and a minute; none may be dead-lettered. Alerts still held by
/// <c>MinSeriesInterval</c> (not yet due) are counted apart. The host's log is read for what a failing endpoint writes:
/// warnings and errors per failed attempt, and stack-frame lines.
/// </summary>
public sealed class WebhookOutageScenario(TimeSpan outage, TimeSpan maxBackoff) : IFaultScenario
{
    private static readonly TimeSpan Slack = TimeSpan.FromMinutes(1);

    public string Name => "webhook receiver down";

    public string Fault => $"receiver refusing connections for {outage / 2:g}, then answering 500 for {outage / 2:g}, then back (MaxBackoff {maxBackoff:g})";

    public async Task<FaultOutcome> RunAsync(FaultContext context, CancellationToken cancellationToken)
    {
        await using var receiver = new FlakyWebhookReceiver();
        await using var product = await DemoDashboard.StartAsync(context.NewStateFolder("webhook"), new Dictionary<string, string>
        {
            ["Detection:Webhooks:Endpoints:0:Name"] = "receiver",
            ["Detection:Webhooks:Endpoints:0:Url"] = receiver.Url.ToString(),
            ["Detection:Webhooks:PollInterval"] = "00:00:00.200",
            ["Detection:Webhooks:MaxBackoff"] = maxBackoff.ToString("c"),
        }, cancellationToken);
        var endpoint = (await product.Http.GetFromJsonAsync<JsonElement[]>("api/webhooks", cancellationToken))!.Single().GetProperty("id").GetInt64();
        var logBefore = product.Output.Count;

        await Task.Delay(outage / 2, cancellationToken);
        await receiver.FailAsync();
        await Task.Delay(outage / 2, cancellationToken);
        var returned = DateTimeOffset.UtcNow;
        var atReturn = await DeliveriesAsync(product, endpoint, cancellationToken);
        receiver.Recover();
        var log = product.Output.Skip(logBefore).ToArray();
        var owed = atReturn.Where(d => d.State != "Delivered" && (d.Attempts > 0 || d.NextAttemptAt <= returned)).Select(d => d.Id).ToHashSet();
        var notYetDue = atReturn.Count(d => d.State == "Pending" && d.Attempts == 0 && d.NextAttemptAt > returned);
        var failedAttempts = atReturn.Sum(d => d.Attempts);

        var deadline = DateTime.UtcNow + maxBackoff + Slack;
        var deliveries = atReturn;
        while (deliveries.Where(d => owed.Contains(d.Id)).Any(d => d.State != "Delivered") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            deliveries = await DeliveriesAsync(product, endpoint, cancellationToken);
        }
        var ofOutage = deliveries.Where(d => owed.Contains(d.Id)).ToArray();
        var delivered = ofOutage.Where(d => d.State == "Delivered").ToArray();
        var taken = ofOutage.Count(d => receiver.Taken.ContainsKey(d.IdempotencyKey));
        var deadLettered = ofOutage.Count(d => d.State == "DeadLettered");
        var latest = delivered.Length == 0 ? "" : $", the last {(delivered.Max(d => d.DeliveredAt!.Value) - returned).TotalSeconds:F0} s after the receiver came back";
        return new FaultOutcome("webhook_undelivered", ofOutage.Length, taken, delivered.Length, ofOutage.Length - delivered.Length, 0, 0,
            $"{deadLettered} dead-lettered, {notYetDue} more held by MinSeriesInterval; {failedAttempts} failed attempts{latest}; "
            + $"log during the outage: {log.Count(IsWarningOrError)} webhook or HTTP warnings and errors, {log.Count(IsStackFrame)} stack-frame lines");
    }

    private static async Task<Delivery[]> DeliveriesAsync(ProductProcess product, long endpoint, CancellationToken cancellationToken) =>
        await product.Http.GetFromJsonAsync<Delivery[]>($"api/webhooks/{endpoint}/deliveries?limit=1000", DemoDashboard.Json, cancellationToken) ?? [];

    /// <summary>The first line of a warning or error entry of the webhook dispatcher or of an HTTP client logger.</summary>
    private static bool IsWarningOrError(string line) =>
        (line.StartsWith("warn: ", StringComparison.Ordinal) || line.StartsWith("fail: ", StringComparison.Ordinal))
        && (line.Contains("Webhook", StringComparison.Ordinal) || line.Contains("HttpClient", StringComparison.Ordinal));

    private static bool IsStackFrame(string line) => line.StartsWith("   at ", StringComparison.Ordinal) || line.StartsWith("         at ", StringComparison.Ordinal);

    private sealed record Delivery(long Id, string IdempotencyKey, string State, int Attempts, DateTimeOffset NextAttemptAt, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);
}
