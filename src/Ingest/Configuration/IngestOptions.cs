namespace MetaAnomaly.Ingest.Configuration;

/// <summary>The <c>Ingest</c> configuration section. Defaults run the embedded demo with an empty configuration.</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>The SQLite state file, relative to the content root unless absolute.</summary>
    public string StatePath { get; set; } = Defaults.StatePath;

    public BufferOptions Buffers { get; set; } = new();

    public WalOptions Wal { get; set; } = new();

    public TimestampOptions Timestamps { get; set; } = new();

    public DemoOptions Demo { get; set; } = new();

    public InfluxOptions Influx { get; set; } = new();

    public PushOptions Push { get; set; } = new();

    public PullOptions Pull { get; set; } = new();

    public WriteBackOptions WriteBack { get; set; } = new();

    /// <summary>True when an InfluxDB URL is configured.</summary>
    public bool HasInflux => !string.IsNullOrWhiteSpace(Influx.Url);

    /// <summary>The demo runs when enabled explicitly, or by default when no InfluxDB is configured.</summary>
    public bool DemoRuns => Demo.Enabled ?? !HasInflux;

    public static class Defaults
    {
        public const string StatePath = "data/metaanomaly.db";
    }
}

/// <summary><c>Ingest:Buffers</c>: the per-series rings.</summary>
public sealed class BufferOptions
{
    /// <summary>Regular slots kept per series (adaptation window + lag window + horizon, with room to spare).</summary>
    public int Capacity { get; set; } = Defaults.Capacity;

    /// <summary>Memory for all rings together; a new series that would exceed it is refused (logged once).</summary>
    public int MaxMemoryMegabytes { get; set; } = Defaults.MaxMemoryMegabytes;

    /// <summary>Distinct timestamps needed before the step (median spacing) is fixed.</summary>
    public int PointsForStep { get; set; } = Defaults.PointsForStep;

    /// <summary>How often the buffers are saved to the state database (and on shutdown), which lets the write-ahead log drop what they cover.</summary>
    public TimeSpan SnapshotInterval { get; set; } = Defaults.SnapshotInterval;

    public static class Defaults
    {
        public const int Capacity = 4096;
        public const int MaxMemoryMegabytes = 512;
        public const int PointsForStep = 8;
        public static readonly TimeSpan SnapshotInterval = TimeSpan.FromMinutes(1);
    }
}

/// <summary><c>Ingest:Wal</c>: the write-ahead log of ingestion, in the <c>wal</c> folder beside <c>Ingest:StatePath</c>.</summary>
public sealed class WalOptions
{
    /// <summary>A segment is closed and a new one started past this size (and at every buffer snapshot).</summary>
    public int SegmentMegabytes { get; set; } = Defaults.SegmentMegabytes;

    public static class Defaults
    {
        public const int SegmentMegabytes = 64;
    }
}

/// <summary>
/// <c>Ingest:Timestamps</c>: plausibility range for points from external sources (push, pull), relative to the wall
/// clock. The demo replays history on its own accelerated data clock and is not subject to it.
/// </summary>
public sealed class TimestampOptions
{
    public TimeSpan MaxAge { get; set; } = Defaults.MaxAge;

    public TimeSpan MaxAhead { get; set; } = Defaults.MaxAhead;

    public static class Defaults
    {
        public static readonly TimeSpan MaxAge = TimeSpan.FromDays(400);
        public static readonly TimeSpan MaxAhead = TimeSpan.FromHours(1);
    }
}

/// <summary><c>Ingest:Demo</c>: the bundled NAB replay.</summary>
public sealed class DemoOptions
{
    /// <summary>Null: run when no InfluxDB is configured.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Wall time between two streamed rows of each series (one data step).</summary>
    public TimeSpan StepInterval { get; set; } = Defaults.StepInterval;

    public static class Defaults
    {
        public static readonly TimeSpan StepInterval = TimeSpan.FromMilliseconds(200);
    }
}

/// <summary>
/// <c>Ingest:Influx</c>: the InfluxDB to follow. Version 1 (1.x) speaks the v1 HTTP API with MetaAnomaly's own client;
/// version 2 (2.x and 3.x) authenticates with a token, writes back and checks health through InfluxDB.Client, and
/// pulls <see cref="Bucket"/> through the v1-compatible query API (on 2.x through the bucket's DBRP mapping, whose
/// database name must be the bucket's; on 3.x the database is the bucket).
/// </summary>
public sealed class InfluxOptions
{
    /// <summary>For example <c>http://127.0.0.1:8086</c>; empty means no InfluxDB.</summary>
    public string? Url { get; set; }

    /// <summary>1 (InfluxDB 1.x, the default) or 2 (InfluxDB 2.x or 3.x: <see cref="Token"/>, <see cref="Org"/>, <see cref="Bucket"/>).</summary>
    public int Version { get; set; } = 1;

    /// <summary>Version 2: the organization written to.</summary>
    public string? Org { get; set; }

    /// <summary>Version 2: the bucket pulled and written back to (replaces <see cref="Database"/>).</summary>
    public string? Bucket { get; set; }

    public string Database { get; set; } = Defaults.Database;

    /// <summary>Empty: the database's default retention policy.</summary>
    public string? RetentionPolicy { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Sent as <c>Authorization: Token ...</c> (InfluxDB 2.x/3.x); takes precedence over user/password.</summary>
    public string? Token { get; set; }

    public TimeSpan Timeout { get; set; } = Defaults.Timeout;

    /// <summary>Retries of a transient failure (exponential backoff from 200 ms, with jitter).</summary>
    public int MaxRetries { get; set; } = Defaults.MaxRetries;

    /// <summary>Points per write request.</summary>
    public int WriteBatchSize { get; set; } = Defaults.WriteBatchSize;

    /// <summary>Rows per chunk of a chunked query.</summary>
    public int QueryChunkSize { get; set; } = Defaults.QueryChunkSize;

    /// <summary>Version 2 addresses <see cref="Bucket"/> wherever version 1 names <see cref="Database"/>.</summary>
    internal void AddressBucket()
    {
        if (Version == 2 && !string.IsNullOrEmpty(Bucket))
        {
            Database = Bucket;
        }
    }

    public static class Defaults
    {
        public const string Database = "telegraf";
        public const int WriteBatchSize = 5000;
        public const int MaxRetries = 5;
        public const int QueryChunkSize = 10000;
        public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    }
}

/// <summary><c>Ingest:Push</c>: the push endpoints, <c>POST /write</c> (InfluxDB 1.x) and <c>POST /api/v2/write</c> (2.x).</summary>
public sealed class PushOptions
{
    /// <summary>
    /// When set, requests must carry it (<c>Authorization: Token</c>, <c>Bearer</c>, Basic auth's password, or
    /// <c>p=</c>/<c>u=&amp;p=</c>), besides the host's writer keys.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>When set, v2 writes must name this organization (<c>org=</c>); empty: <c>org</c> is accepted and ignored.</summary>
    public string? Org { get; set; }

    /// <summary>Largest accepted body, after decompression.</summary>
    public long MaxBodyBytes { get; set; } = Defaults.MaxBodyBytes;

    /// <summary>Longest series key of a line (measurement, tags and field, escaped), as InfluxDB's 64 KB; longer lines are refused.</summary>
    public int MaxKeyBytes { get; set; } = Defaults.MaxKeyBytes;

    /// <summary>Bound of the cache of parsed series keys.</summary>
    public int KeyCacheMegabytes { get; set; } = Defaults.KeyCacheMegabytes;

    public static class Defaults
    {
        public const long MaxBodyBytes = 25L * 1024 * 1024;
        public const int MaxKeyBytes = 65535;
        public const int KeyCacheMegabytes = 64;
    }
}

/// <summary><c>Ingest:Pull</c>: incremental polling of InfluxDB.</summary>
public sealed class PullOptions
{
    /// <summary>Null: pull whenever InfluxDB is configured.</summary>
    public bool? Enabled { get; set; }

    public TimeSpan Interval { get; set; } = Defaults.Interval;

    /// <summary>Each poll re-reads this much before the watermark, for late and out-of-order points.</summary>
    public TimeSpan GraceWindow { get; set; } = Defaults.GraceWindow;

    /// <summary>
    /// How far behind the newest point of its measurement a tag set (a host) may write and still have every point
    /// read: each poll looks this far back for tag sets with points it has not read.
    /// </summary>
    public TimeSpan LatenessWindow { get; set; } = Defaults.LatenessWindow;

    /// <summary>How far back the first poll of a measurement reaches.</summary>
    public TimeSpan InitialLookback { get; set; } = Defaults.InitialLookback;

    /// <summary>Regex on measurement names; empty matches all.</summary>
    public string? Measurements { get; set; }

    /// <summary>Field keys to follow; empty: every numeric field.</summary>
    public List<string> Fields { get; set; } = [];

    /// <summary>Tag equality filters, ANDed.</summary>
    public Dictionary<string, string> Tags { get; set; } = [];

    /// <summary>At most this many series are followed; the rest are ignored with a warning.</summary>
    public int MaxSeries { get; set; } = Defaults.MaxSeries;

    public static class Defaults
    {
        public const int MaxSeries = 10000;
        public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
        public static readonly TimeSpan GraceWindow = TimeSpan.FromMinutes(2);
        public static readonly TimeSpan LatenessWindow = TimeSpan.FromHours(1);
        public static readonly TimeSpan InitialLookback = TimeSpan.FromDays(7);
    }
}

/// <summary><c>Ingest:WriteBack</c>: MetaAnomaly's output written to InfluxDB.</summary>
public sealed class WriteBackOptions
{
    /// <summary>Empty: <c>Ingest:Influx:Database</c>.</summary>
    public string? Database { get; set; }

    /// <summary>The measurement the anomalies are written to; never pulled back from the pulled database.</summary>
    public string Measurement { get; set; } = Defaults.Measurement;

    public bool Enabled { get; set; } = true;

    /// <summary>The database written to: <see cref="Database"/>, or <paramref name="influxDatabase"/> when that is empty.</summary>
    public string DatabaseOr(string influxDatabase) => string.IsNullOrEmpty(Database) ? influxDatabase : Database;

    public static class Defaults
    {
        public const string Measurement = "metaanomaly_anomaly";
    }
}
