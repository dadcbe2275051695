using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MetaAnomaly.Dashboard.Hosting;

/// <summary>
/// Before any service starts (ingestion, scoring, the state database), checks that the addresses in <c>Urls</c> are
/// free: a second instance on the same address would otherwise start its services on the same state before Kestrel
/// refused the port. Only for a real server (one that has addresses; the in-memory test server has none).
/// </summary>
internal sealed class ListenAddressCheck(IServer server, IConfiguration configuration) : IHostedLifecycleService
{
    public const string UrlsSetting = "Urls";

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (server.Features.Get<IServerAddressesFeature>() is null || configuration[WebHostDefaults.ServerUrlsKey] is not { Length: > 0 } urls)
        {
            return Task.CompletedTask;
        }
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Port > 0 && Address(uri.Host) is { } address)
            {
                Probe(url, new IPEndPoint(address, uri.Port));
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Explains a refused address: which setting holds it and how to choose another.</summary>
    public static string Explain(string url) =>
        $"{UrlsSetting}: {url} is already in use (another MetaAnomaly, or another program, listens there). Stop it, or listen " +
        $"elsewhere: --urls http://127.0.0.1:5081, the {UrlsSetting} setting in appsettings.json, or the {UrlsSetting} environment variable.";

    private static void Probe(string url, IPEndPoint endpoint)
    {
        var listener = new TcpListener(endpoint);
        try
        {
            listener.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new UrlInUseException(Explain(url), e);
        }
        finally
        {
            listener.Stop();
        }
    }

    // Names other than localhost (a host name, "*", "+") bind every interface: Kestrel itself reports those.
    private static IPAddress? Address(string host) =>
        host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host.Trim('[', ']'), out var address) ? address : null;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>An address in <c>Urls</c> is taken: the message names the setting.</summary>
internal sealed class UrlInUseException(string message, Exception inner) : Exception(message, inner);
