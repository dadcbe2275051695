namespace MetaAnomaly.Dashboard.Security;

/// <summary>Accounts (hashed passwords) and API keys (hashed, revocable), kept in the state database.</summary>
public interface IAccountStore
{
    /// <summary>Whether an admin account exists (until one does, the dashboard asks for one on /setup).</summary>
    ValueTask<bool> HasAdminAsync(CancellationToken cancellationToken);

    /// <summary>Creates the first admin; false when an admin already exists.</summary>
    ValueTask<bool> CreateFirstAdminAsync(string name, string password, CancellationToken cancellationToken);

    /// <summary>Creates an account; false when the name is taken.</summary>
    ValueTask<bool> CreateAccountAsync(string name, string password, string role, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken cancellationToken);

    /// <summary>Deletes an account, refusing to delete the last admin.</summary>
    ValueTask<bool> DeleteAccountAsync(string name, CancellationToken cancellationToken);

    /// <summary>The account when the password matches, else null.</summary>
    ValueTask<Account?> VerifyPasswordAsync(string name, string password, CancellationToken cancellationToken);

    ValueTask<CreatedApiKey> CreateApiKeyAsync(string name, string role, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(CancellationToken cancellationToken);

    /// <summary>Revokes a key; false when there is no active key with that id.</summary>
    ValueTask<bool> RevokeApiKeyAsync(string id, CancellationToken cancellationToken);

    /// <summary>The active key matching the presented text (and records its use), else null.</summary>
    ValueTask<ApiKeyInfo?> VerifyApiKeyAsync(string presented, CancellationToken cancellationToken);
}
