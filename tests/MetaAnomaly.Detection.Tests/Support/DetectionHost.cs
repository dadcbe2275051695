using System.Security.Claims;
using System.Text.Encodings.Web;
using MetaAnomaly.Detection.Apis;
using MetaAnomaly.Detection.Extensions;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Security;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Shared.Storage;
using MetaAnomaly.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Tests.Support;

/// <summary>
/// A real host on loopback Kestrel with AddDetection and MapDetectionApi, the policies (by role) and the secret protector
/// as the Dashboard defines them, and a test authentication scheme that takes the role from the <c>X-Test-Role</c> header.
/// </summary>
public sealed class DetectionHost : IAsyncDisposable
{
    public const string RoleHeader = "X-Test-Role";

    private DetectionHost(WebApplication app, string baseUrl, SqliteTestDatabase database)
    {
        App = app;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        Database = database;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public SqliteTestDatabase Database { get; }

    public static WebApplication Build(SqliteTestDatabase database, IDictionary<string, string?>? configuration = null, int? port = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port ?? FreePort.Next()}");
        builder.Configuration.AddInMemoryCollection(configuration ?? new Dictionary<string, string?>());
        builder.Services.AddSingleton<IStateDatabase>(database);
        builder.Services.AddSingleton<ISeriesBuffers>(new MemorySeriesBuffers(Synthetic.Start, Synthetic.Step));
        builder.Services.AddSingleton<IOneStepForecaster>(new SeasonalMedianForecaster(24));
        builder.Services.AddAuthentication(RoleHeaderAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, RoleHeaderAuthentication>(RoleHeaderAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicies.Viewer, p => p.RequireRole("viewer", "admin"))
            .AddPolicy(AccessPolicies.Admin, p => p.RequireRole("admin"));
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<ISecretProtector, EphemeralSecretProtector>();
        builder.AddDetection();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapDetectionApi();
        return app;
    }

    public static async Task<DetectionHost> StartAsync(IDictionary<string, string?>? configuration = null)
    {
        var database = new SqliteTestDatabase();
        var port = FreePort.Next();
        var app = Build(database, configuration, port);
        await app.StartAsync();
        return new DetectionHost(app, $"http://127.0.0.1:{port}", database);
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string? role, object? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (role is not null)
        {
            request.Headers.Add(RoleHeader, role);
        }
        if (json is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(json);
        }
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Database.Dispose();
    }

    private sealed class RoleHeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "TestRole";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(RoleHeader, out var role))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "tester"), new Claim(ClaimTypes.Role, role.ToString())], SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
    }
}
