using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>
/// The dashboard's base URL for the links in webhook payloads: <c>Detection:Webhooks:DashboardUrl</c> when configured
/// (the public URL behind a proxy), else the first address the host actually listens on (a wildcard address named by
/// this machine's host name), else <see cref="WebhookOptions.Defaults.FallbackDashboardUrl"/> outside a web host.
/// </summary>
public sealed class DashboardLink(IOptions<DetectionOptions> options, IEnumerable<IServer> servers)
{
    public string BaseUrl
    {
        get
        {
            if (options.Value.Webhooks.DashboardUrl is { Length: > 0 } configured)
            {
                return configured.TrimEnd('/');
            }
            var listening = servers.SelectMany(s => s.Features.Get<IServerAddressesFeature>()?.Addresses ?? []).FirstOrDefault();
            return listening is null ? WebhookOptions.Defaults.FallbackDashboardUrl : Reachable(listening);
        }
    }

    public string To(long anomalyId) => $"{BaseUrl}/anomalies/{anomalyId}";

    /// <summary>A listening address as a link: wildcards (<c>0.0.0.0</c>, <c>[::]</c>, <c>+</c>, <c>*</c>) become the host name.</summary>
    private static string Reachable(string address)
    {
        var normalized = address.Replace("://+", "://wildcard", StringComparison.Ordinal).Replace("://*", "://wildcard", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
        {
            return address.TrimEnd('/');
        }
        var wildcard = uri.Host is "wildcard" || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));
        var host = wildcard ? Dns.GetHostName() : uri.Host;
        return new UriBuilder(uri.Scheme, host, uri.Port).Uri.ToString().TrimEnd('/');
    }
}
