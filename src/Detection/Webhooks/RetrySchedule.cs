namespace MetaAnomaly.Detection.Webhooks;

/// <summary>
/// When a failed delivery is tried again: <c>InitialBackoff x 2^(attempt-1)</c> capped at <c>MaxBackoff</c>, with
/// "equal jitter" (half fixed, half uniform random), so the delays grow to <c>MaxBackoff</c> and never beyond it; and
/// whether the delivery's retry horizon has passed, which dead-letters it.
/// </summary>
internal sealed class RetrySchedule(TimeSpan initialBackoff, TimeSpan maxBackoff, TimeSpan horizon)
{
    /// <summary>The delay after failed attempt number <paramref name="attempt"/> (1-based), for a jitter in [0, 1].</summary>
    public TimeSpan Delay(int attempt, double jitter)
    {
        var exponential = initialBackoff * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var capped = exponential > maxBackoff ? maxBackoff : exponential;
        return capped * (0.5 + 0.5 * Math.Clamp(jitter, 0, 1));
    }

    /// <summary>The last moment a delivery retried since <paramref name="retrySince"/> may still be attempted.</summary>
    public DateTimeOffset Deadline(DateTimeOffset retrySince) => retrySince + horizon;

    /// <summary>
    /// The next attempt after a failure at <paramref name="now"/>, never later than the deadline (so the last try happens
    /// at the horizon); null when the horizon has passed and the delivery is dead-lettered.
    /// </summary>
    public DateTimeOffset? NextAttempt(DateTimeOffset retrySince, int attempt, DateTimeOffset now, double jitter)
    {
        var deadline = Deadline(retrySince);
        if (now >= deadline)
        {
            return null;
        }
        var next = now + Delay(attempt, jitter);
        return next < deadline ? next : deadline;
    }
}
