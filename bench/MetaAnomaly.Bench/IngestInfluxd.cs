using System.Diagnostics;

namespace MetaAnomaly.Bench;

/// <summary>A throwaway influxd on loopback with temp folders, started as test.sh starts one, for the ingest benchmark.</summary>
internal sealed class IngestInfluxd : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private IngestInfluxd(Process process, string folder, Uri url)
    {
        _process = process;
        _folder = folder;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<IngestInfluxd> StartAsync(CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("metaanomaly-bench-influxd-").FullName;
        var httpPort = LoopbackPort.Free();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("METAANOMALY_TEST_INFLUXD") ?? "influxd", "-config /dev/null")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["INFLUXDB_HTTP_BIND_ADDRESS"] = $"127.0.0.1:{httpPort}";
        start.Environment["INFLUXDB_BIND_ADDRESS"] = $"127.0.0.1:{LoopbackPort.Free()}";
        start.Environment["INFLUXDB_META_DIR"] = Path.Combine(folder, "meta");
        start.Environment["INFLUXDB_DATA_DIR"] = Path.Combine(folder, "data");
        start.Environment["INFLUXDB_DATA_WAL_DIR"] = Path.Combine(folder, "wal");
        start.Environment["INFLUXDB_REPORTING_DISABLED"] = "true";
        start.Environment["INFLUXDB_HTTP_LOG_ENABLED"] = "false";
        start.Environment["INFLUXDB_DATA_QUERY_LOG_ENABLED"] = "false";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"influxd could not be started ({start.FileName}: {e.Message}): install it (Debian: apt-get install influxdb), "
                + "point METAANOMALY_TEST_INFLUXD at it, or set METAANOMALY_TEST_INFLUXDB_URL to a running InfluxDB 1.x.", e);
        }
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = new Uri($"http://127.0.0.1:{httpPort}/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(url, "ping"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return new IngestInfluxd(process, folder, url);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(50, cancellationToken);
        }
        process.Kill();
        throw new InvalidOperationException($"influxd did not answer /ping on {url}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
