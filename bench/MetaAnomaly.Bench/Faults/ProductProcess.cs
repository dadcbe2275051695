using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Globalization;

namespace MetaAnomaly.Bench.Faults;

/// <summary>
/// The whole Dashboard host as shipped on a loopback port, with its state in one folder. Its output is kept line by
/// line (and written to <c>product-N.log</c> in the state folder when it ends); <see cref="Kill"/> is kill -9.
/// <see cref="HeldAsync"/> reads what its buffers hold through <c>/api/series</c> (which needs the API key a caller
/// adds to <see cref="Http"/>); <see cref="IngestedAsync"/> reads the ingest counter of <c>/metrics</c>, which needs no
/// sign-in: the process is started with a <c>Dashboard:Telemetry:MetricsKey</c> of its own.
/// </summary>
internal sealed class ProductProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private readonly string _log;
    private readonly string _metricsKey;

    private ProductProcess(Process process, Uri url, string log, string metricsKey)
    {
        _metricsKey = metricsKey;
        _process = process;
        Url = url;
        _log = log;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Url { get; }

    public HttpClient Http { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far, one entry per line.</summary>
    public IReadOnlyCollection<string> Output => _output;

    /// <summary>
    /// The Dashboard host exactly as shipped (<c>MetaAnomaly.Dashboard.dll</c> of this build, run from its own folder);
    /// ready once <c>/health</c> answers.
    /// </summary>
    public static async Task<ProductProcess> StartDashboardAsync(string stateFolder, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var host = DashboardBuild();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(host)! };
        start.ArgumentList.Add(host);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var product = Start(start, stateFolder, settings);
        await product.WaitUntilAnswersAsync(async () => (await product.Http.GetAsync("health", cancellationToken)).Dispose(), cancellationToken);
        return product;
    }

    /// <summary>POSTs a line-protocol body to <c>/write</c> (precision s); the status and the error text, if any.</summary>
    public async Task<(HttpStatusCode Status, string Body)> WriteAsync(string lines, CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsync("write?db=faults&precision=s", new StringContent(lines), cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>
    /// <c>metaanomaly_ingest_points_total</c> of <paramref name="source"/> on <c>/metrics</c>: the points that source had
    /// in the write-ahead log at the scrape (0 before its first).
    /// </summary>
    public async Task<long> IngestedAsync(string source, CancellationToken cancellationToken)
    {
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "metrics");
        scrape.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _metricsKey);
        using var response = await Http.SendAsync(scrape, cancellationToken);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("metaanomaly_ingest_points_total{", StringComparison.Ordinal)
            && l.Contains($"source=\"{source}\"", StringComparison.Ordinal));
        return line is null ? 0 : (long)double.Parse(line[(line.IndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until <paramref name="done"/> holds for what the buffers hold, or the timeout; returns the last reading.</summary>
    public async Task<Held> WaitForAsync(Func<Held, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var held = await HeldAsync(cancellationToken);
        while (!done(held) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, cancellationToken);
            held = await HeldAsync(cancellationToken);
        }
        return held;
    }

    /// <summary>The series and points the buffers hold, summed over <c>GET /api/series</c>.</summary>
    public async Task<Held> HeldAsync(CancellationToken cancellationToken)
    {
        var series = await Http.GetFromJsonAsync<SeriesListing[]>("api/series", DemoDashboard.Json, cancellationToken) ?? [];
        return new Held(series.Length, series.Sum(s => s.Info.PointCount));
    }

    /// <summary>Resident memory of the process (Linux <c>/proc</c>), in megabytes.</summary>
    public double RssMegabytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }

    /// <summary>SIGKILL: no shutdown, no final snapshot.</summary>
    public async Task Kill()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            await Kill();
        }
        _process.Dispose();
        await File.WriteAllLinesAsync(_log, _output);
    }

    private static ProductProcess Start(ProcessStartInfo start, string stateFolder, IReadOnlyDictionary<string, string> settings)
    {
        var port = LoopbackPort.Free();
        var metricsKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var argument in (string[])[$"--Urls=http://127.0.0.1:{port}", "--Ingest:Demo:Enabled=false",
            $"--Ingest:StatePath={Path.Combine(stateFolder, "metaanomaly.db")}", $"--Dashboard:Telemetry:MetricsKey={metricsKey}"])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        var log = Path.Combine(stateFolder, $"product-{Directory.GetFiles(stateFolder, "product-*.log").Length + 1}.log");
        return new ProductProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"), log, metricsKey);
    }

    private async Task WaitUntilAnswersAsync(Func<Task> probe, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            try
            {
                await probe();
                return;
            }
            catch (HttpRequestException) when (!_process.HasExited)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
        var output = string.Join('\n', _output.TakeLast(40));
        await DisposeAsync();
        throw new InvalidOperationException($"The product process did not answer within 120 s. Its last output:\n{output}");
    }

    /// <summary>What the buffers hold: series, and points summed over them.</summary>
    public sealed record Held(int Series, long Points);

    private sealed record SeriesListing(string Key, SeriesListingInfo Info);

    private sealed record SeriesListingInfo(long PointCount);

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    /// <summary>The Dashboard host that this bench's build built beside it (a project reference that builds it).</summary>
    private static string DashboardBuild()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "MetaAnomaly.sln")))
        {
            folder = folder.Parent;
        }
        var host = folder is null ? null : Path.Combine(folder.FullName, "src", "Dashboard", "bin", configuration, "net10.0", "MetaAnomaly.Dashboard.dll");
        return File.Exists(host) ? host : throw new InvalidOperationException($"The Dashboard host is not built ({host ?? "no MetaAnomaly.sln above " + AppContext.BaseDirectory}).");
    }
}
