namespace MetaAnomaly.Bench.Faults;

/// <summary>A fresh database in the run's influxd, and the product settings that pull from it.</summary>
internal static class InfluxDatabase
{
    public static async Task<string> CreateAsync(Uri influx, string prefix, string lines, CancellationToken cancellationToken)
    {
        var database = $"{prefix}_{Environment.ProcessId}_{Environment.TickCount64}";
        using var http = new HttpClient { BaseAddress = influx };
        using (var create = await http.PostAsync("query?q=" + Uri.EscapeDataString($"CREATE DATABASE {database}"), null, cancellationToken))
        {
            create.EnsureSuccessStatusCode();
        }
        if (lines.Length > 0)
        {
            await WriteAsync(influx, database, lines, cancellationToken);
        }
        return database;
    }

    public static async Task WriteAsync(Uri influx, string database, string lines, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = influx, Timeout = TimeSpan.FromMinutes(2) };
        using var write = await http.PostAsync($"write?db={database}&precision=s", new StringContent(lines), cancellationToken);
        write.EnsureSuccessStatusCode();
    }

    public static Dictionary<string, string> PullSettings(Uri influx, string database) => new()
    {
        ["Ingest:Influx:Url"] = influx.ToString(),
        ["Ingest:Influx:Database"] = database,
        ["Ingest:Pull:Interval"] = "00:00:00.200",
        ["Ingest:WriteBack:Enabled"] = "false",
    };
}
