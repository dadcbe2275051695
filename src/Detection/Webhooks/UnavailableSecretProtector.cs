using MetaAnomaly.Shared.Security;

namespace MetaAnomaly.Detection.Webhooks;

/// <summary>
/// The secret protector of a composition without the Dashboard host (benchmarks): it refuses to keep or read a
/// webhook secret, so that one is never stored in plain text. The host registers Data Protection instead.
/// </summary>
internal sealed class UnavailableSecretProtector : ISecretProtector
{
    private const string Reason = "Webhook secrets need the host's secret protector (ASP.NET Core Data Protection); this composition has none.";

    public string Protect(string secret) => throw new InvalidOperationException(Reason);

    public string Unprotect(string protectedSecret) => throw new InvalidOperationException(Reason);
}
