using System.Diagnostics;
using System.Net;
using System.Text;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>The outcome of one HTTP attempt.</summary>
internal sealed record AttemptOutcome(bool Delivered, bool Gone, int? Status, string? Error, long LatencyMs);

/// <summary>
/// Posts one signed payload to one endpoint, once, within the attempt timeout; an endpoint whose secret cannot be read
/// gets nothing (the attempt fails with that reason, without a request).
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory clients, TimeProvider time)
{
    public const string ClientName = "MetaAnomaly.Webhooks";

    public async Task<AttemptOutcome> SendAsync(
        WebhookTarget target, string idempotencyKey, string payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (target.SecretProblem is { } problem)
        {
            return new AttemptOutcome(false, false, null, problem, 0);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in target.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        request.Headers.TryAddWithoutValidation(WebhookSignature.IdempotencyHeader, idempotencyKey);
        if (target.Secret is { Length: > 0 } secret)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(secret, time.GetUtcNow().ToUnixTimeSeconds(), payload));
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var client = clients.CreateClient(ClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var latency = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new AttemptOutcome(true, false, status, null, latency)
                : new AttemptOutcome(false, response.StatusCode == HttpStatusCode.Gone, status, $"HTTP {status} {response.ReasonPhrase}", latency);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(false, false, null, $"Timed out after {timeout.TotalSeconds:0.###} s", (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (HttpRequestException exception)
        {
            var reason = exception.HttpRequestError == HttpRequestError.Unknown ? exception.Message : exception.HttpRequestError.ToString();
            return new AttemptOutcome(false, false, null, reason, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
