using System.ComponentModel.DataAnnotations;
using MetaAnomaly.Dashboard.Security;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Dashboard;

/// <summary>The <c>Dashboard</c> configuration section: first-start admin account, sign-in, sessions and chart sizes.</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>Name of the admin account created at first start.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "Dashboard:AdminUser must be 1 to 64 letters, digits, '.', '_' or '-'.")]
    public string AdminUser { get; set; } = Defaults.AdminUser;

    /// <summary>
    /// When set and no admin exists yet, the admin account is created with this password at start (for unattended
    /// installs, e.g. <c>Dashboard__AdminPassword</c> in a container). When empty, the first visitor sets it on /setup.
    /// </summary>
    public string? AdminPassword { get; set; }

    /// <summary>
    /// Where the keys that protect sign-in cookies, antiforgery tokens and webhook secrets are kept (relative to the
    /// content root unless absolute), so that a restart keeps users signed in. Unset: <c>keys</c> beside the state
    /// database (<c>Ingest:StatePath</c>), so that one volume holds everything the host writes.
    /// </summary>
    public string? KeysPath { get; set; }

    /// <summary>How long a dashboard sign-in lasts without activity.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00", ErrorMessage = "Dashboard:SessionLifetime must be between 5 minutes and 30 days.")]
    public TimeSpan SessionLifetime { get; set; } = Defaults.SessionLifetime;

    /// <summary>Sign-in rate limits and lockout.</summary>
    [ValidateObjectMembers]
    public SignInOptions SignIn { get; set; } = new();

    /// <summary>The most points a chart receives; wider ranges are downsampled on the server.</summary>
    [Range(200, 20_000, ErrorMessage = "Dashboard:ChartMaxPoints must be between 200 and 20000.")]
    public int ChartMaxPoints { get; set; } = Defaults.ChartMaxPoints;

    public static class Defaults
    {
        public const string AdminUser = "admin";
        public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);
        public const int ChartMaxPoints = 1500;
    }
}
