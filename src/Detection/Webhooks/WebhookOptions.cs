using MetaAnomaly.Detection.Events;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>Webhook delivery settings and the endpoints that come from configuration.</summary>
public sealed class WebhookOptions
{
    public List<WebhookEndpointOptions> Endpoints { get; set; } = [];

    /// <summary>How long a delivery is retried, from its creation (or replay), before it is dead-lettered.</summary>
    public TimeSpan RetryHorizon { get; set; } = Defaults.RetryHorizon;

    /// <summary>Delay before the first retry; doubled each retry, with equal jitter, capped at <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = Defaults.InitialBackoff;

    /// <summary>The longest delay between two attempts of a delivery, and between two probes of an open circuit.</summary>
    public TimeSpan MaxBackoff { get; set; } = Defaults.MaxBackoff;

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = Defaults.AttemptTimeout;

    /// <summary>Consecutive failures that open an endpoint's circuit (then one probe per <see cref="MaxBackoff"/>).</summary>
    public int BreakerFailures { get; set; } = Defaults.BreakerFailures;

    /// <summary>How often the dispatcher looks for due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = Defaults.PollInterval;

    /// <summary>
    /// The dashboard's public base URL, for the link in each payload; empty: the address the host listens on (see
    /// <see cref="DashboardLink"/>).
    /// </summary>
    public string DashboardUrl { get; set; } = "";

    /// <summary>
    /// The least time between two notifications of one series to one endpoint: an escalation or a new event sooner
    /// after the last is held until then (an escalation before the opening went out is folded into the opening instead).
    /// </summary>
    public TimeSpan MinSeriesInterval { get; set; } = Defaults.MinSeriesInterval;

    public static class Defaults
    {
        public static readonly TimeSpan RetryHorizon = TimeSpan.FromHours(24);
        public static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(2);
        public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
        public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
        public const int BreakerFailures = 5;
        public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
        public static readonly TimeSpan MinSeriesInterval = TimeSpan.FromMinutes(5);

        /// <summary>The link base outside a web host with no configured URL (the NAB bench, unit tests).</summary>
        public const string FallbackDashboardUrl = "http://127.0.0.1:5080";
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
