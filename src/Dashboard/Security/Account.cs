namespace MetaAnomaly.Dashboard.Security;

/// <summary>A dashboard sign-in account (the password hash never leaves the store).</summary>
public sealed record Account(string Name, string Role, DateTimeOffset CreatedAt);

/// <summary>An API key as listed: never its secret.</summary>
public sealed record ApiKeyInfo(string Id, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public bool Active => RevokedAt is null;
}

/// <summary>A freshly created key: <see cref="Text"/> is shown once and cannot be read again.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Key, string Text);
