using System.Diagnostics;
using MetaAnomaly.Testing;

namespace MetaAnomaly.Ingest.Tests;

/// <summary>
/// A private influxd on free loopback ports with its own temp folders, started the way test.sh starts one, for tests
/// that stop and restart the server or need authentication enabled.
/// </summary>
internal sealed class InfluxServer : IAsyncDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly int _httpPort = FreePort.Next();
    private readonly int _rpcPort = FreePort.Next();
    private readonly bool _authEnabled;
    private Process? _process;

    private InfluxServer(bool authEnabled)
    {
        _authEnabled = authEnabled;
    }

    public Uri Url => new($"http://127.0.0.1:{_httpPort}");

    public static async Task<InfluxServer> StartAsync(bool authEnabled = false)
    {
        var server = new InfluxServer(authEnabled);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(TestEnvironment.InfluxdPath, "-config /dev/null")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["INFLUXDB_HTTP_BIND_ADDRESS"] = $"127.0.0.1:{_httpPort}";
        start.Environment["INFLUXDB_BIND_ADDRESS"] = $"127.0.0.1:{_rpcPort}";
        start.Environment["INFLUXDB_META_DIR"] = _folder.File("meta");
        start.Environment["INFLUXDB_DATA_DIR"] = _folder.File("data");
        start.Environment["INFLUXDB_DATA_WAL_DIR"] = _folder.File("wal");
        start.Environment["INFLUXDB_REPORTING_DISABLED"] = "true";
        start.Environment["INFLUXDB_HTTP_LOG_ENABLED"] = "false";
        start.Environment["INFLUXDB_DATA_QUERY_LOG_ENABLED"] = "false";
        start.Environment["INFLUXDB_HTTP_AUTH_ENABLED"] = _authEnabled ? "true" : "false";
        _process = Process.Start(start) ?? throw new InvalidOperationException("influxd did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "/ping"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(50);
        }
        throw new InvalidOperationException($"influxd did not answer /ping on {Url}.");
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _folder.Dispose();
    }
}
