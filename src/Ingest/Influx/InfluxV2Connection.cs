using InfluxDB.Client;
using MetaAnomaly.Ingest.Configuration;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Ingest.Influx;

/// <summary>The one InfluxDB.Client of an <c>Ingest:Influx:Version=2</c> setup (2.x, 3.x): URL, token, org, bucket and timeout from the options.</summary>
internal sealed class InfluxV2Connection(IOptions<IngestOptions> options) : IDisposable
{
    private readonly Lazy<InfluxDBClient> _client = new(() =>
    {
        var influx = options.Value.Influx;
        return new InfluxDBClient(new InfluxDBClientOptions(influx.Url)
        {
            Token = influx.Token,
            Org = influx.Org,
            Bucket = influx.Bucket,
            Timeout = influx.Timeout,
        });
    });

    public InfluxDBClient Client => _client.Value;

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}
