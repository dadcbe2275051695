namespace MetaAnomaly.Dashboard.Tests.Support;

/// <summary>One quiet host shared by the tests of a class, with the admin signed in once through the form.</summary>
public sealed class SignedInDashboard : IAsyncLifetime
{
    public DashboardHost Host { get; } = new(DashboardHost.QuietSettings());

    /// <summary>The admin's sign-in cookie (<c>name=value</c>).</summary>
    public string AdminCookie { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Host.StartServer();
        AdminCookie = await Host.SignInAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
