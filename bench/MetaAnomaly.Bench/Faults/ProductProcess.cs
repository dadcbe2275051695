using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;

namespace MetaAnomaly.Bench.Faults;

/// <summary>
/// A product process on a loopback port with its state in one folder: the ingestion composition (<see cref="FaultHost"/>,
/// <see cref="StartAsync"/>) or the whole Dashboard host (<see cref="StartDashboardAsync"/>). Its output is kept
/// line by line (and written to <c>product-N.log</c> in the state folder when it ends); <see cref="Kill"/> is kill -9.
/// <see cref="HeldAsync"/> reads what its buffers hold: <c>/faults/held</c> of the fault host, <c>/api/series</c> of the
/// Dashboard host (which needs the API key a caller adds to <see cref="Http"/>).
/// </summary>
internal sealed class ProductProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private readonly string _log;
    private readonly Func<HttpClient, CancellationToken, Task<FaultHost.Held>> _held;

    private ProductProcess(Process process, Uri url, string log, Func<HttpClient, CancellationToken, Task<FaultHost.Held>> held)
    {
        _process = process;
        Url = url;
        _log = log;
        _held = held;
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

    /// <summary>The ingestion composition (<see cref="FaultHost"/>); ready once <c>/faults/held</c> answers.</summary>
    public static async Task<ProductProcess> StartAsync(string stateFolder, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }
        start.ArgumentList.Add("faults");
        start.ArgumentList.Add(FaultHost.Argument);
        var product = Start(start, stateFolder, "state.db", settings, FaultHostHeldAsync);
        await product.WaitUntilAnswersAsync(async () => await product.HeldAsync(cancellationToken), cancellationToken);
        return product;
    }

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
        var product = Start(start, stateFolder, "metaanomaly.db", settings, SeriesApiHeldAsync);
        await product.WaitUntilAnswersAsync(async () => (await product.Http.GetAsync("health", cancellationToken)).Dispose(), cancellationToken);
        return product;
    }

    /// <summary>POSTs a line-protocol body to <c>/write</c> (precision s); the status and the error text, if any.</summary>
    public async Task<(HttpStatusCode Status, string Body)> WriteAsync(string lines, CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsync("write?db=faults&precision=s", new StringContent(lines), cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Waits until <paramref name="done"/> holds for what the buffers hold, or the timeout; returns the last reading.</summary>
    public async Task<FaultHost.Held> WaitForAsync(Func<FaultHost.Held, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
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

    public Task<FaultHost.Held> HeldAsync(CancellationToken cancellationToken) => _held(Http, cancellationToken);

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

    private static async Task<FaultHost.Held> FaultHostHeldAsync(HttpClient http, CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<FaultHost.Held>("faults/held", cancellationToken))!;

    private static async Task<FaultHost.Held> SeriesApiHeldAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var series = await http.GetFromJsonAsync<SeriesListing[]>("api/series", DemoDashboard.Json, cancellationToken) ?? [];
        return new FaultHost.Held(series.Length, series.Sum(s => s.Info.PointCount));
    }

    private static ProductProcess Start(ProcessStartInfo start, string stateFolder, string stateFile, IReadOnlyDictionary<string, string> settings,
        Func<HttpClient, CancellationToken, Task<FaultHost.Held>> held)
    {
        var port = LoopbackPort.Free();
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var argument in (string[])[$"--Urls=http://127.0.0.1:{port}", "--Ingest:Demo:Enabled=false",
            $"--Ingest:StatePath={Path.Combine(stateFolder, stateFile)}"])
        {
            start.ArgumentList.Add(argument);
        }
        if (start.WorkingDirectory is "")
        {
            start.ArgumentList.Add($"--contentRoot={stateFolder}");
        }
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        var log = Path.Combine(stateFolder, $"product-{Directory.GetFiles(stateFolder, "product-*.log").Length + 1}.log");
        return new ProductProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"), log, held);
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
