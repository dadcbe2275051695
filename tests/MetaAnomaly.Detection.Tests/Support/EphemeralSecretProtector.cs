using MetaAnomaly.Shared.Security;
using Microsoft.AspNetCore.DataProtection;

namespace MetaAnomaly.Detection.Tests.Support;

/// <summary>
/// ASP.NET Core Data Protection as the host protects webhook secrets, with one key ring in memory for the whole test
/// run (as the host's lives on disk across restarts); <see cref="WithNewKeyRing"/> is a host whose keys were lost.
/// </summary>
public sealed class EphemeralSecretProtector(IDataProtectionProvider keyRing) : ISecretProtector
{
    private static readonly IDataProtectionProvider KeyRing = new EphemeralDataProtectionProvider();

    private readonly IDataProtector _protector = keyRing.CreateProtector("MetaAnomaly.Detection.Tests");

    public EphemeralSecretProtector() : this(KeyRing)
    {
    }

    /// <summary>A protector that cannot read what the shared key ring protected, as after the key folder was lost.</summary>
    public static EphemeralSecretProtector WithNewKeyRing() => new(new EphemeralDataProtectionProvider());

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
