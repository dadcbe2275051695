using MetaAnomaly.Shared.Security;
using Microsoft.AspNetCore.DataProtection;

namespace MetaAnomaly.Detection.Tests.Support;

/// <summary>
/// ASP.NET Core Data Protection as the host protects webhook secrets, with one key ring in memory for the whole test
/// run (as the host's lives on disk across restarts).
/// </summary>
public sealed class EphemeralSecretProtector : ISecretProtector
{
    private static readonly IDataProtectionProvider KeyRing = new EphemeralDataProtectionProvider();

    private readonly IDataProtector _protector = KeyRing.CreateProtector("MetaAnomaly.Detection.Tests");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
