using System.Diagnostics;
using System.Text;

namespace MetaAnomaly.Testing;

/// <summary>
/// A real Prometheus on a free loopback port with its own temp folder: it scrapes itself every second and
/// remote-writes what it scrapes to <c>remoteWrite</c> with a bearer token, as an operator would configure it.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("metaanomaly-prometheus-").FullName;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private PrometheusServer(int port) => Url = new Uri($"http://127.0.0.1:{port}");

    public Uri Url { get; }

    /// <summary>What the process printed, for a failing test's message.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <param name="externalLabels">Labels Prometheus adds to every series it sends.</param>
    public static async Task<PrometheusServer> StartAsync(string binary, Uri remoteWrite, string bearerToken, IReadOnlyDictionary<string, string> externalLabels)
    {
        var server = new PrometheusServer(FreePort.Next());
        await server.LaunchAsync(binary, remoteWrite, bearerToken, externalLabels);
        return server;
    }

    private async Task LaunchAsync(string binary, Uri remoteWrite, string bearerToken, IReadOnlyDictionary<string, string> externalLabels)
    {
        var config = Path.Combine(_folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              external_labels:
            {string.Concat(externalLabels.Select(l => $"    {l.Key}: \"{l.Value}\"\n"))}
            scrape_configs:
              - job_name: prometheus
                static_configs:
                  - targets: ["{Url.Authority}"]
            remote_write:
              - url: "{remoteWrite}"
                authorization:
                  credentials: "{bearerToken}"
                queue_config:
                  batch_send_deadline: 1s
                  min_backoff: 100ms
                  max_backoff: 1s
            """);
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[$"--config.file={config}", $"--web.listen-address={Url.Authority}",
                     $"--storage.tsdb.path={Path.Combine(_folder, "data")}", "--log.level=warn"])
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "/-/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (_process.HasExited)
            {
                break;
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"prometheus did not become ready on {Url}:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
