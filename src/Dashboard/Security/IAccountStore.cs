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

    /// <summary>Deletes an account (and so its sessions), refusing to delete the last admin.</summary>
    ValueTask<bool> DeleteAccountAsync(string name, CancellationToken cancellationToken);

    /// <summary>Sets a new password and ends every session of the account; false when there is no such account.</summary>
    ValueTask<bool> ChangePasswordAsync(string name, string password, CancellationToken cancellationToken);

    /// <summary>Gives the account another role and ends its sessions; false when absent or when it would leave no admin.</summary>
    ValueTask<bool> ChangeRoleAsync(string name, string role, CancellationToken cancellationToken);

    /// <summary>Ends every session of the account (every sign-in cookie it holds is refused from now on).</summary>
    ValueTask EndSessionsAsync(string name, CancellationToken cancellationToken);

    /// <summary>The account's current session, or null when it no longer exists.</summary>
    ValueTask<AccountSession?> FindSessionAsync(string name, CancellationToken cancellationToken);

    /// <summary>The account's session when the password matches, else null (unknown names cost as much as wrong passwords).</summary>
    ValueTask<AccountSession?> VerifyPasswordAsync(string name, string password, CancellationToken cancellationToken);

    ValueTask<CreatedApiKey> CreateApiKeyAsync(string name, string role, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(CancellationToken cancellationToken);

    /// <summary>Revokes a key; false when there is no active key with that id.</summary>
    ValueTask<bool> RevokeApiKeyAsync(string id, CancellationToken cancellationToken);

    /// <summary>The active key matching the presented text (and records its use), else null.</summary>
    ValueTask<ApiKeyInfo?> VerifyApiKeyAsync(string presented, CancellationToken cancellationToken);
}
