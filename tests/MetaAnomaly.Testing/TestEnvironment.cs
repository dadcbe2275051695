namespace MetaAnomaly.Testing;

/// <summary>
/// Where the tests find what test.sh provides: the repository, the shared development data, the InfluxDB it started,
/// Debian's Chromium and Prometheus. Tests that need a missing one fail with a message naming it (Prometheus: skip,
/// saying so), never pass silently.
/// </summary>
public static class TestEnvironment
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>../shared/data beside the checkout (or METAANOMALY_SHARED_DATA).</summary>
    public static string SharedData
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("METAANOMALY_SHARED_DATA")
                ?? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));
            return Directory.Exists(path)
                ? path
                : throw new InvalidOperationException($"The shared development data is missing: expected {path} (set METAANOMALY_SHARED_DATA).");
        }
    }

    /// <summary>The loopback InfluxDB that test.sh started (METAANOMALY_TEST_INFLUXDB_URL).</summary>
    public static Uri InfluxDbUrl => new(Environment.GetEnvironmentVariable("METAANOMALY_TEST_INFLUXDB_URL")
        ?? throw new InvalidOperationException("METAANOMALY_TEST_INFLUXDB_URL is not set: run the tests with ./test.sh, which starts InfluxDB."));

    /// <summary>The influxd binary, for tests that start and stop their own server (restart tests).</summary>
    public static string InfluxdPath => Environment.GetEnvironmentVariable("METAANOMALY_TEST_INFLUXD")
        ?? (File.Exists("/usr/bin/influxd") ? "/usr/bin/influxd"
            : throw new InvalidOperationException("influxd is not installed: run the tests with ./test.sh."));

    public static string ChromiumPath => Environment.GetEnvironmentVariable("METAANOMALY_TEST_CHROMIUM")
        ?? (File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
            : throw new InvalidOperationException("Chromium is not installed: run the tests with ./test.sh."));

    /// <summary>
    /// Debian's prometheus binary (METAANOMALY_TEST_PROMETHEUS, else /usr/bin/prometheus), or null where it is not
    /// installed: the tests that need it skip, saying so.
    /// </summary>
    public static string? PrometheusPath => Environment.GetEnvironmentVariable("METAANOMALY_TEST_PROMETHEUS") is { Length: > 0 } path
        ? path
        : File.Exists("/usr/bin/prometheus") ? "/usr/bin/prometheus" : null;

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MetaAnomaly.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("MetaAnomaly.sln not found above " + AppContext.BaseDirectory);
    }
}
