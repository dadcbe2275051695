using System.Globalization;
using System.Text;
using MetaAnomaly.Testing;

namespace MetaAnomaly.Cluster.Tests.Support;

/// <summary>A database of its own on test.sh's InfluxDB 1.x (METAANOMALY_TEST_INFLUXDB_URL), written to over its HTTP API.</summary>
public sealed class InfluxDatabase : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = TestEnvironment.InfluxDbUrl, Timeout = TimeSpan.FromSeconds(30) };

    private InfluxDatabase(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public Uri Url => TestEnvironment.InfluxDbUrl;

    public static async Task<InfluxDatabase> CreateAsync(string prefix)
    {
        var database = new InfluxDatabase(prefix + "_" + Guid.NewGuid().ToString("N")[..12]);
        await database.QueryAsync($"CREATE DATABASE {database.Name}");
        return database;
    }

    /// <summary>Writes line protocol with second timestamps.</summary>
    public async Task WriteAsync(string lines)
    {
        using var response = await _http.PostAsync($"/write?db={Name}&precision=s", new StringContent(lines, Encoding.UTF8));
        Assert.True(response.IsSuccessStatusCode, $"influxd answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public void Dispose()
    {
        QueryAsync($"DROP DATABASE {Name}").GetAwaiter().GetResult();
        _http.Dispose();
    }

    private async Task QueryAsync(string statement)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["q"] = statement });
        using var response = await _http.PostAsync("/query", content);
        response.EnsureSuccessStatusCode();
    }

    public static string Line(string measurement, string tags, string field, double value, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"{measurement},{tags} {field}={value:F3} {at.ToUnixTimeSeconds()}\n");
}
