using System.Net;
using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Dashboard.Tests.Support;

namespace MetaAnomaly.Dashboard.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task SecondStartResumesAccountsAndKeys()
    {
        var state = Directory.CreateTempSubdirectory("metaanomaly-restart-").FullName;
        try
        {
            string key;
            await using (var first = new DashboardHost(DashboardHost.QuietSettings(), stateDirectory: state))
            {
                first.StartServer();
                key = await first.CreateKeyAsync(DashboardRoles.Viewer);
            }

            var withoutPassword = DashboardHost.QuietSettings();
            withoutPassword.Remove("Dashboard:AdminPassword");
            await using var second = new DashboardHost(withoutPassword, stateDirectory: state);
            second.StartServer();
            Assert.True(await second.Accounts.HasAdminAsync(CancellationToken.None));
            Assert.NotNull(await second.Accounts.VerifyPasswordAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword, CancellationToken.None));
            using var client = second.CreateClient();
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs")).StatusCode);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
