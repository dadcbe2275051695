using System.Diagnostics;
using Npgsql;

namespace MetaAnomaly.Bench.Cluster;

/// <summary>
/// The PostgreSQL server of bench cluster, found or started as test.sh does: METAANOMALY_TEST_POSTGRES when set (a
/// connection string to a maintenance database), else Debian's <c>initdb</c> and <c>pg_ctl</c> in a temporary folder
/// on a free loopback port (as the <c>postgres</c> user when run as root: initdb refuses root), stopped at the end.
/// Each run gets a fresh database.
/// </summary>
internal sealed class LocalPostgres : IAsyncDisposable
{
    private const string Variable = "METAANOMALY_TEST_POSTGRES";
    private readonly string? _folder;
    private readonly string? _bin;

    private LocalPostgres(string server, string? folder, string? bin)
    {
        Server = server;
        _folder = folder;
        _bin = bin;
    }

    public string Server { get; }

    public string Origin => _folder is null ? Variable : $"started in {_folder}";

    public static async Task<LocalPostgres> StartAsync(CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            return new LocalPostgres(configured, null, null);
        }
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).LastOrDefault()
            : null;
        bin ??= File.Exists("/usr/local/bin/initdb") ? "/usr/local/bin" : throw new InvalidOperationException(
            $"bench cluster needs PostgreSQL: set {Variable}, or install Debian's postgresql (initdb, pg_ctl), as test.sh does.");
        var folder = Directory.CreateTempSubdirectory("metaanomaly-bench-postgres-").FullName;
        var asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            await RunAsync("chown", ["postgres", folder], asPostgres: false, cancellationToken);
        }
        var port = LoopbackPort.Free();
        var postgres = new LocalPostgres($"Host=127.0.0.1;Port={port};Username=metaanomaly;Database=postgres;Maximum Pool Size=20", folder, bin);
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", Path.Combine(folder, "data"), "-U", "metaanomaly", "--auth=trust", "-E", "UTF8"], asPostgres, cancellationToken);
        await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "postgres.log"), "-w",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c max_connections=300", "start"], asPostgres, cancellationToken);
        return postgres;
    }

    /// <summary>A fresh database's connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync(cancellationToken);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync(cancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
        return new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_folder is not null)
        {
            await RunAsync(Path.Combine(_bin!, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "fast", "-w", "stop"], Environment.UserName == "root", CancellationToken.None);
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgres, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres)
        {
            foreach (var argument in (string[])["-u", "postgres", "--", file])
            {
                start.ArgumentList.Add(argument);
            }
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited {process.ExitCode}: {await output}{await error}");
        }
    }
}
