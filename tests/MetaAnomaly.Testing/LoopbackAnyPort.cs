namespace MetaAnomaly.Testing;

/// <summary>
/// The address for a test host that lets Kestrel choose its own free loopback port when it binds; the port is read
/// back from the started server. Choosing a port first (<see cref="FreePort"/>) and binding it later leaves a moment
/// in which another process can take it.
/// </summary>
public static class LoopbackAnyPort
{
    public const int Port = 0;

    public const string Url = "http://127.0.0.1:0";
}
