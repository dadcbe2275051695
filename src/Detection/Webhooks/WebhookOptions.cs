using MetaAnomaly.Detection.Events;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>Webhook delivery settings and the endpoints that come from configuration.</summary>
public sealed class WebhookOptions
{
    public List<WebhookEndpointOptions> Endpoints { get; set; } = [];

    /// <summary>Attempts per delivery before it is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = Defaults.MaxAttempts;

    /// <summary>Delay before the first retry; doubled each retry, with full jitter, capped at <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = Defaults.InitialBackoff;

    public TimeSpan MaxBackoff { get; set; } = Defaults.MaxBackoff;

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = Defaults.AttemptTimeout;

    /// <summary>Consecutive failures that open an endpoint's circuit.</summary>
    public int BreakerFailures { get; set; } = Defaults.BreakerFailures;

    /// <summary>How long an open circuit holds deliveries back before one trial attempt.</summary>
    public TimeSpan BreakerOpenFor { get; set; } = Defaults.BreakerOpenFor;

    /// <summary>How often the dispatcher looks for due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = Defaults.PollInterval;

    /// <summary>Base URL of the dashboard, for the link in each payload.</summary>
    public string DashboardUrl { get; set; } = Defaults.DashboardUrl;

    public static class Defaults
    {
        public const int MaxAttempts = 6;
        public static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(2);
        public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
        public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
        public const int BreakerFailures = 5;
        public static readonly TimeSpan BreakerOpenFor = TimeSpan.FromMinutes(1);
        public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
        public const string DashboardUrl = "http://127.0.0.1:5080";
    }
}

/// <summary>One webhook endpoint (from configuration or created through the API).</summary>
public sealed class WebhookEndpointOptions
{
    public string Name { get; set; } = "";

    public string Url { get; set; } = "";

    /// <summary>HMAC-SHA256 key for the signature header; never logged nor returned by the API.</summary>
    public string? Secret { get; set; }

    public Dictionary<string, string> Headers { get; set; } = [];

    public AnomalySeverity MinSeverity { get; set; } = AnomalySeverity.Low;

    /// <summary>Series key prefix or glob (<c>*</c> wildcards) the endpoint wants; empty for every series.</summary>
    public string? SeriesFilter { get; set; }
}
