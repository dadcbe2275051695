using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;

namespace MetaAnomaly.Bench.Faults;

/// <summary>A <see cref="FaultHost"/> process on a loopback port with its state in one folder; <see cref="Kill"/> is kill -9.</summary>
internal sealed class ProductProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ProductProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri Url { get; }

    public HttpClient Http { get; }

    public static async Task<ProductProcess> StartAsync(string stateFolder, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }
        foreach (var argument in (string[])["faults", FaultHost.Argument, $"--Urls=http://127.0.0.1:{port}", $"--contentRoot={stateFolder}",
            "--Ingest:Demo:Enabled=false", $"--Ingest:StatePath={Path.Combine(stateFolder, "state.db")}"])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var product = new ProductProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                await product.HeldAsync(cancellationToken);
                return product;
            }
            catch (HttpRequestException) when (!process.HasExited)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
        await product.DisposeAsync();
        throw new InvalidOperationException("The product process did not answer within 60 s.");
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

    public async Task<FaultHost.Held> HeldAsync(CancellationToken cancellationToken) =>
        (await Http.GetFromJsonAsync<FaultHost.Held>("faults/held", cancellationToken))!;

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
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
