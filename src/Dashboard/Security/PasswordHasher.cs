using System.Globalization;
using System.Security.Cryptography;

namespace MetaAnomaly.Dashboard.Security;

/// <summary>
/// Salted PBKDF2-HMAC-SHA256 password hashes, stored as <c>pbkdf2-sha256$iterations$salt$hash</c> (base64).
/// </summary>
public static class PasswordHasher
{
    private const string Scheme = "pbkdf2-sha256";
    private const int Iterations = 210_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public const int MinimumLength = 8;

    private static readonly Lazy<string> NoAccount = new(() => Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

    /// <summary>
    /// What a name without an account is checked against: a hash of a random password, made once with the parameters
    /// of <see cref="Hash"/>, so that refusing an unknown name costs one <see cref="Verify"/>, as a wrong password does.
    /// </summary>
    public static string NoAccountHash => NoAccount.Value;

    public static string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var iterations))
        {
            return false;
        }
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
