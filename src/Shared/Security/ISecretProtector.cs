namespace MetaAnomaly.Shared.Security;

/// <summary>
/// Protects secrets kept at rest (webhook signing secrets) so that a copy of the state database does not reveal them.
/// The host implements it (ASP.NET Core Data Protection, with the keys under the state directory).
/// </summary>
public interface ISecretProtector
{
    string Protect(string secret);

    /// <summary>The secret that <see cref="Protect"/> was given; throws when this installation's keys did not protect it.</summary>
    string Unprotect(string protectedSecret);
}
