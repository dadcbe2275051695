using MetaAnomaly.Ingest.Influx;
using MetaAnomaly.Ingest.LineProtocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MetaAnomaly.Ingest.Tests.Influx;

internal static class InfluxTestSupport
{
    public static string NewDatabase(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..24];

    /// <summary>Settings for a host that talks to <paramref name="url"/> and does not poll unless asked.</summary>
    public static Dictionary<string, string?> Settings(Uri url, string database, bool pull = false) => new()
    {
        ["Ingest:Influx:Url"] = url.ToString(),
        ["Ingest:Influx:Database"] = database,
        ["Ingest:Influx:Timeout"] = "00:00:05",
        ["Ingest:Pull:Enabled"] = pull ? "true" : "false",
        ["Ingest:Pull:Interval"] = "00:00:00.200",
        ["Ingest:Buffers:SnapshotInterval"] = "01:00:00",
    };

    public static InfluxClient Client(IHost host) => host.Services.GetRequiredService<InfluxClient>();

    /// <summary><paramref name="count"/> lines of <c>cpu,host=H usage=i,load=i*2 t</c>, one minute apart, ending a minute ago.</summary>
    public static byte[] CpuLines(int count, string host = "a", int offset = 0, DateTimeOffset? end = null)
    {
        var writer = new LineProtocolWriter();
        var last = (end ?? DateTimeOffset.UtcNow.AddMinutes(-1)).ToUnixTimeSeconds() / 60 * 60;
        for (var i = 0; i < count; i++)
        {
            writer.Write("cpu", [new("host", host)], [new("usage", FieldValue.Float(offset + i)), new("load", FieldValue.Int(2 * (offset + i))), new("note", FieldValue.String("x"))],
                last - (count - 1 - i) * 60);
        }
        return writer.Written.ToArray();
    }
}
