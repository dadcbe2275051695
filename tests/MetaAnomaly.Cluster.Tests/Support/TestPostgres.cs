using Npgsql;

namespace MetaAnomaly.Cluster.Tests.Support;

/// <summary>
/// The loopback PostgreSQL that test.sh starts (METAANOMALY_TEST_POSTGRES, a connection string to its maintenance
/// database). Each test gets a database of its own, dropped at the end. Without it the tests skip, saying why.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    public const string Variable = "METAANOMALY_TEST_POSTGRES";
    public const string Missing = Variable + " is not set: run the tests with ./test.sh, which starts PostgreSQL on loopback.";

    private readonly string _server;
    private readonly string _name = "metaanomaly_test_" + Guid.NewGuid().ToString("N")[..12];

    private TestPostgres(string server)
    {
        _server = server;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = _name }.ConnectionString;
    }

    public static string? Server => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>The fresh database's connection string.</summary>
    public string ConnectionString { get; }

    public static async Task<TestPostgres> CreateAsync()
    {
        var database = new TestPostgres(Server ?? throw new InvalidOperationException(Missing));
        await database.ExecuteOnServerAsync($"CREATE DATABASE {database._name}");
        return database;
    }

    public NpgsqlDataSource OpenDataSource() => NpgsqlDataSource.Create(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
