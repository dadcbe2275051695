using MetaAnomaly.Shared.Security;
using Microsoft.AspNetCore.DataProtection;

namespace MetaAnomaly.Dashboard.Security;

/// <summary><see cref="ISecretProtector"/> on ASP.NET Core Data Protection (the key ring under <c>Dashboard:KeysPath</c>).</summary>
internal sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("MetaAnomaly.Secrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
