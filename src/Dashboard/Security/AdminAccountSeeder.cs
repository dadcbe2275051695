using Microsoft.Extensions.Options;

namespace MetaAnomaly.Dashboard.Security;

/// <summary>At start, creates the admin account from <c>Dashboard:AdminPassword</c> when it is set and none exists.</summary>
internal sealed partial class AdminAccountSeeder(IAccountStore accounts, IOptions<DashboardOptions> options, ILogger<AdminAccountSeeder> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (await accounts.HasAdminAsync(cancellationToken))
        {
            return;
        }
        if (string.IsNullOrEmpty(settings.AdminPassword))
        {
            LogSetupNeeded(logger);
            return;
        }
        if (await accounts.CreateFirstAdminAsync(settings.AdminUser, settings.AdminPassword, cancellationToken))
        {
            LogAdminCreated(logger, settings.AdminUser);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin account {AdminUser} created from Dashboard:AdminPassword")]
    private static partial void LogAdminCreated(ILogger logger, string adminUser);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No admin account yet: open the dashboard and set the admin password on /setup")]
    private static partial void LogSetupNeeded(ILogger logger);
}
