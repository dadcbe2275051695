using System.Diagnostics;
using System.Net;
using System.Runtime.Versioning;
using MetaAnomaly.Dashboard.Hosting;
using MetaAnomaly.Dashboard.Tests.Support;
using MetaAnomaly.Testing;
using Xunit.Abstractions;

namespace MetaAnomaly.Dashboard.Tests;

/// <summary>
/// The published app as the container runs it: an unprivileged user, a read-only app folder and one writable state
/// folder. It signs in, stops on SIGTERM within the host's shutdown timeout, and a configuration error (a taken address
/// included) ends it with a clean exit code and the setting's name.
/// </summary>
[UnsupportedOSPlatform("windows")]
[Collection(nameof(PublishedAppTests))]
public sealed class PublishedAppTests(PublishedApp app, ITestOutputHelper output) : IClassFixture<PublishedApp>
{
    private static readonly TimeSpan HostShutdownTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    [SkippableFact]
    public async Task UnprivilegedAppWithOnlyItsStateFolderWritableSignsInAndStopsOnSigterm()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix users and signals");
        var state = app.NewStateFolder();
        var port = FreePort.Next();
        using var running = app.Start(Settings(state, port));
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitForHealthAsync(client, running);

        var signedIn = await client.TrySignInAsync(DashboardHost.AdminUser, DashboardHost.AdminPassword);
        Assert.True(signedIn.Cookie is not null, $"sign-in refused ({signedIn.Status}):\n{running.Output}");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs")).StatusCode);
        Assert.True(File.Exists(Path.Combine(state, "metaanomaly.db")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(state, "keys"), "*.xml"));

        var stopping = Stopwatch.StartNew();
        running.Terminate();
        Assert.True(await running.WaitForExitAsync(HostShutdownTimeout), $"still running {HostShutdownTimeout.TotalSeconds} s after SIGTERM:\n{running.Output}");
        output.WriteLine($"SIGTERM to exit: {stopping.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(0, running.ExitCode);
    }

    [SkippableFact]
    public async Task InvalidSettingEndsWithTheConfigurationExitCodeAndNamesIt()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix users and signals");
        var settings = Settings(app.NewStateFolder(), FreePort.Next());
        settings["Dashboard__SignIn__MaxFailures"] = "0";
        using var running = app.Start(settings);

        Assert.True(await running.WaitForExitAsync(StartTimeout), running.Output);
        Assert.Equal(StartupFailure.ConfigurationErrorExitCode, running.ExitCode);
        Assert.Contains("Dashboard:SignIn:MaxFailures", running.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task UnwritableStatePathEndsWithTheConfigurationExitCodeAndNamesIt()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix users and signals");
        var settings = Settings(app.NewStateFolder(), FreePort.Next());
        settings["Ingest__StatePath"] = Path.Combine(app.Folder, "data", "metaanomaly.db");
        using var running = app.Start(settings);

        Assert.True(await running.WaitForExitAsync(StartTimeout), running.Output);
        Assert.Equal(StartupFailure.ConfigurationErrorExitCode, running.ExitCode);
        Assert.Contains($"{StatePaths.StatePathSetting}: this process", running.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ASecondInstanceOnATakenAddressEndsWithTheConfigurationExitCodeNamingUrlsBeforeTouchingItsState()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix users and signals");
        var port = FreePort.Next();
        var first = new System.Net.Sockets.TcpListener(IPAddress.Loopback, port);
        first.Start();
        try
        {
            var state = app.NewStateFolder();
            using var running = app.Start(Settings(state, port));

            Assert.True(await running.WaitForExitAsync(StartTimeout), running.Output);
            Assert.Equal(StartupFailure.ConfigurationErrorExitCode, running.ExitCode);
            Assert.Contains($"{ListenAddressCheck.UrlsSetting}: http://127.0.0.1:{port} is already in use", running.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(state, "metaanomaly.db")), "the second instance opened the state database");
        }
        finally
        {
            first.Stop();
        }
    }

    private static Dictionary<string, string> Settings(string state, int port) => new()
    {
        ["Urls"] = $"http://127.0.0.1:{port}",
        ["Ingest__StatePath"] = Path.Combine(state, "metaanomaly.db"),
        ["Ingest__Demo__Enabled"] = "false",
        ["Dashboard__AdminPassword"] = DashboardHost.AdminPassword,
    };

    private static async Task WaitForHealthAsync(HttpClient client, PublishedApp.Running running)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(running.HasExited, $"the app exited with {(running.HasExited ? running.ExitCode : 0)}:\n{running.Output}");
            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        Assert.Fail($"/health did not answer 200 within {StartTimeout.TotalMinutes} minutes:\n{running.Output}");
    }
}

/// <summary>The publish and the app's processes run alone, not beside the browser tests, which they would slow past their timeouts.</summary>
[CollectionDefinition(nameof(PublishedAppTests), DisableParallelization = true)]
public sealed class PublishedAppCollection;
