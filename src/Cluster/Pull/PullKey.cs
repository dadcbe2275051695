using MetaAnomaly.Ingest.Configuration;

namespace MetaAnomaly.Cluster.Pull;

/// <summary>The key of a pull grain: the InfluxDB's URL and the database (on InfluxDB 2.x, the bucket) it reads.</summary>
internal static class PullKey
{
    public static string Of(InfluxOptions influx) => $"{influx.Url!.TrimEnd('/')}|{influx.Database}";
}
