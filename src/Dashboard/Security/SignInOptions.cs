using System.ComponentModel.DataAnnotations;

namespace MetaAnomaly.Dashboard.Security;

/// <summary><c>Dashboard:SignIn</c>: how many sign-in attempts a client and an account get, and the lockout after failures.</summary>
public sealed class SignInOptions
{
    /// <summary>Failed sign-ins in a row (within <see cref="LockoutDuration"/> of each other) that lock the account name.</summary>
    [Range(1, 100, ErrorMessage = "Dashboard:SignIn:MaxFailures must be between 1 and 100.")]
    public int MaxFailures { get; set; } = Defaults.MaxFailures;

    /// <summary>How long a locked account name refuses every sign-in, the right password included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Dashboard:SignIn:LockoutDuration must be between 1 second and 1 day.")]
    public TimeSpan LockoutDuration { get; set; } = Defaults.LockoutDuration;

    /// <summary>Sign-in attempts one client address may make per minute, whatever the account.</summary>
    [Range(1, 10_000, ErrorMessage = "Dashboard:SignIn:ClientAttemptsPerMinute must be between 1 and 10000.")]
    public int ClientAttemptsPerMinute { get; set; } = Defaults.ClientAttemptsPerMinute;

    /// <summary>Sign-in attempts one account name may receive per minute, from all clients together.</summary>
    [Range(1, 10_000, ErrorMessage = "Dashboard:SignIn:AccountAttemptsPerMinute must be between 1 and 10000.")]
    public int AccountAttemptsPerMinute { get; set; } = Defaults.AccountAttemptsPerMinute;

    public static class Defaults
    {
        public const int MaxFailures = 5;
        public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(5);
        public const int ClientAttemptsPerMinute = 30;
        public const int AccountAttemptsPerMinute = 10;
    }
}
