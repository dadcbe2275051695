using System.Net;
using System.Net.Sockets;

namespace MetaAnomaly.Bench;

/// <summary>A loopback TCP port free at the moment of asking, for the servers and product processes a benchmark starts.</summary>
internal static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
