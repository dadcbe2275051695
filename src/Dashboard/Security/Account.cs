namespace MetaAnomaly.Dashboard.Security;

/// <summary>A dashboard sign-in account (the password hash never leaves the store).</summary>
public sealed record Account(string Name, string Role, DateTimeOffset CreatedAt);

/// <summary>
/// What a sign-in cookie carries of its account: the name, the role, and the session stamp, which changes on sign-out,
/// password change and role change (every cookie carrying the old stamp is refused from then on).
/// </summary>
public sealed record AccountSession(string Name, string Role, string Stamp);

/// <summary>An API key as listed: never its secret.</summary>
public sealed record ApiKeyInfo(string Id, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public bool Active => RevokedAt is null;
}

/// <summary>A freshly created key: <see cref="Text"/> is shown once and cannot be read again.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Key, string Text);
