using System.Text.RegularExpressions;
using MetaAnomaly.Detection.Events;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>
/// A webhook endpoint as the API shows it: never its secret (only whether it has one, and why it cannot be used when
/// it cannot be read), and header values redacted.
/// </summary>
public sealed record WebhookEndpoint(
    long Id,
    string Name,
    string Url,
    IReadOnlyDictionary<string, string> Headers,
    bool HasSecret,
    AnomalySeverity MinSeverity,
    string? SeriesFilter,
    bool FromConfiguration,
    string? SecretProblem = null);

/// <summary>
/// An endpoint with its secret and header values, for delivery only: never serialised to a client or a log. A stored
/// secret that cannot be unprotected leaves <see cref="Secret"/> null and says why in <see cref="SecretProblem"/>:
/// nothing is sent to that endpoint (unsigned would be refused by a receiver that checks signatures) until it is set again.
/// </summary>
internal sealed record WebhookTarget(
    long Id,
    string Name,
    string Url,
    IReadOnlyDictionary<string, string> Headers,
    string? Secret,
    AnomalySeverity MinSeverity,
    string? SeriesFilter,
    bool FromConfiguration,
    string? SecretProblem = null)
{
    public const string Redacted = "***";

    public WebhookEndpoint ToPublic() => new(
        Id, Name, Url, Headers.ToDictionary(h => h.Key, _ => Redacted), Secret is not null || SecretProblem is not null, MinSeverity, SeriesFilter,
        FromConfiguration, SecretProblem);

    /// <summary>Whether this endpoint wants the event: severity at least its minimum, series matching its filter.</summary>
    public bool Wants(AnomalyEvent anomaly) => anomaly.Severity >= MinSeverity && SeriesMatches(SeriesFilter, anomaly.SeriesKey);

    /// <summary>Empty filter: every series; otherwise a glob over the canonical key (<c>*</c> any text).</summary>
    public static bool SeriesMatches(string? filter, string seriesKey) =>
        string.IsNullOrWhiteSpace(filter)
        || Regex.IsMatch(seriesKey, "^" + Regex.Escape(filter).Replace("\\*", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
}

/// <summary>Create or replace an endpoint through the API. A null <see cref="Secret"/> on update keeps the stored one.</summary>
public sealed record WebhookEndpointRequest(
    string Name,
    string Url,
    string? Secret = null,
    Dictionary<string, string>? Headers = null,
    AnomalySeverity MinSeverity = AnomalySeverity.Low,
    string? SeriesFilter = null)
{
    /// <summary>Problems by field name; empty when valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors[nameof(Name)] = ["A name is required."];
        }
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors[nameof(Url)] = ["An absolute http or https URL is required."];
        }
        if (!Enum.IsDefined(MinSeverity))
        {
            errors[nameof(MinSeverity)] = ["Unknown severity."];
        }
        return errors;
    }
}
