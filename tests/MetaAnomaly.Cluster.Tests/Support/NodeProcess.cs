using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MetaAnomaly.Testing;

namespace MetaAnomaly.Cluster.Tests.Support;

/// <summary>
/// One node of a test cluster: the host's own build output (<c>src/Dashboard/bin</c>) run as a separate process on
/// loopback ports of its own, with a state folder of its own, signed in as admin with a writer key of its own.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    public const string AdminPassword = "cluster-test-password";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _state;

    private NodeProcess(string name, int port, string state, Process process)
    {
        Name = name;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _state = state;
        _process = process;
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    /// <summary>Signed in as admin after <see cref="SignInAsync"/>.</summary>
    public HttpClient Client { get; }

    public string? WriterKey { get; private set; }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the process to exit and for its output to be read to the end; false if it still runs after <paramref name="timeout"/>.</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the host with <c>Section__Key</c> settings on top of a test node's own (port, state, admin password, no demo).</summary>
    public static NodeProcess Start(string name, IReadOnlyDictionary<string, string> settings)
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var folder = Path.Combine(TestEnvironment.RepositoryRoot, "src", "Dashboard", "bin", configuration, "net10.0");
        var state = Directory.CreateTempSubdirectory("metaanomaly-cluster-node-").FullName;
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(folder, "MetaAnomaly.Dashboard.dll"));
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["Ingest__StatePath"] = Path.Combine(state, "metaanomaly.db");
        start.Environment["Ingest__Demo__Enabled"] = "false";
        start.Environment["Dashboard__AdminPassword"] = AdminPassword;
        start.Environment["Logging__LogLevel__Orleans"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        return new NodeProcess(name, port, state, Process.Start(start)!);
    }

    /// <summary>The settings that make a node a silo of the cluster on <paramref name="postgres"/>.</summary>
    public static Dictionary<string, string> SiloSettings(string name, string postgres, int shards) => new()
    {
        ["Cluster__Enabled"] = "true",
        ["Cluster__PostgreSql"] = postgres,
        ["Cluster__NodeName"] = name,
        ["Cluster__Shards"] = shards.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Cluster__SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Cluster__GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Cluster__ShardCheckInterval"] = "00:00:02",
    };

    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(HasExited, $"{Name} exited with {(HasExited ? ExitCode : 0)}:\n{Output}");
            try
            {
                if ((await Client.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(500);
        }
        Assert.Fail($"{Name} not healthy within {timeout}:\n{Output}");
    }

    /// <summary>Signs in through the /login form as admin and creates a writer key on this node.</summary>
    public async Task SignInAsync()
    {
        await SignInAsync(Client);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/keys") { Content = JsonContent.Create(new { name = "cluster-test", role = "writer" }) };
        request.Headers.Add("Origin", BaseAddress.GetLeftPart(UriPartial.Authority));
        using var created = await Client.SendAsync(request);
        created.EnsureSuccessStatusCode();
        WriterKey = (await created.Content.ReadFromJsonAsync<CreatedKey>())!.Text;
    }

    /// <summary>POSTs <paramref name="body"/> as JSON with the signed-in cookie (from this node's origin) and returns the answer's JSON; fails on an error status.</summary>
    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Origin", BaseAddress.GetLeftPart(UriPartial.Authority));
        using var response = await Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{Name}: POST {path} answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Signs in as admin on a client of its own and returns the session cookie (<c>name=value</c>) this node issued.</summary>
    public async Task<string> SignInCookieAsync()
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = BaseAddress };
        await SignInAsync(client);
        var session = cookies.GetCookies(BaseAddress).Single(c => c.Name == "metaanomaly.auth");
        return $"{session.Name}={session.Value}";
    }

    private async Task SignInAsync(HttpClient client)
    {
        var token = AntiforgeryToken().Match(await client.GetStringAsync("/login")).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.UserName"] = "admin",
            ["Input.Password"] = AdminPassword,
        });
        using var signedIn = await client.PostAsync("/login", form);
        Assert.True(signedIn.StatusCode == HttpStatusCode.Found, $"{Name}: sign-in answered {signedIn.StatusCode}");
    }

    /// <summary>SIGKILL: no shutdown, no deactivation, as a lost machine.</summary>
    public void Kill() => _process.Kill();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Client.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private sealed record CreatedKey(string Text);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
