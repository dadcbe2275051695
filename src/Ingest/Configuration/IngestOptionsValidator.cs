using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Ingest.Configuration;

/// <summary>Checks <see cref="IngestOptions"/> at start; each failure names its configuration key.</summary>
internal sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        var failures = new List<string>();
        void Require(bool condition, string message)
        {
            if (!condition)
            {
                failures.Add(message);
            }
        }

        Require(!string.IsNullOrWhiteSpace(options.StatePath), "Ingest:StatePath must name a file.");
        Require(options.Buffers.Capacity is >= 16 and <= 10_000_000, "Ingest:Buffers:Capacity must be in [16, 10000000].");
        Require(options.Buffers.MaxMemoryMegabytes >= 1, "Ingest:Buffers:MaxMemoryMegabytes must be at least 1.");
        Require(options.Buffers.PointsForStep is >= 3 and <= 1024, "Ingest:Buffers:PointsForStep must be in [3, 1024].");
        Require(options.Buffers.SnapshotInterval >= TimeSpan.FromSeconds(1), "Ingest:Buffers:SnapshotInterval must be at least 00:00:01.");
        Require(options.Wal.SegmentMegabytes is >= 1 and <= 4096, "Ingest:Wal:SegmentMegabytes must be in [1, 4096].");
        Require(options.Timestamps.MaxAge > TimeSpan.Zero, "Ingest:Timestamps:MaxAge must be positive.");
        Require(options.Timestamps.MaxAhead >= TimeSpan.Zero, "Ingest:Timestamps:MaxAhead must not be negative.");
        Require(options.Demo.StepInterval >= TimeSpan.FromMilliseconds(1), "Ingest:Demo:StepInterval must be at least 1 ms.");
        Require(options.Push.MaxBodyBytes >= 1024, "Ingest:Push:MaxBodyBytes must be at least 1024.");
        Require(options.Push.MaxKeyBytes is >= 64 and <= 1 << 24, "Ingest:Push:MaxKeyBytes must be in [64, 16777216].");
        Require(options.Push.KeyCacheMegabytes >= 1, "Ingest:Push:KeyCacheMegabytes must be at least 1.");
        if (options.HasInflux)
        {
            Require(Uri.TryCreate(options.Influx.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https",
                $"Ingest:Influx:Url '{options.Influx.Url}' must be an absolute http(s) URL.");
            Require(!string.IsNullOrWhiteSpace(options.Influx.Database), "Ingest:Influx:Database must be set when Ingest:Influx:Url is.");
            Require(options.Influx.Timeout >= TimeSpan.FromMilliseconds(10), "Ingest:Influx:Timeout must be at least 10 ms.");
            Require(options.Influx.MaxRetries is >= 1 and <= 20, "Ingest:Influx:MaxRetries must be in [1, 20].");
            Require(options.Influx.WriteBatchSize is >= 1 and <= 1_000_000, "Ingest:Influx:WriteBatchSize must be in [1, 1000000].");
            Require(options.Influx.QueryChunkSize is >= 1 and <= 1_000_000, "Ingest:Influx:QueryChunkSize must be in [1, 1000000].");
            Require(string.IsNullOrEmpty(options.Influx.Password) || !string.IsNullOrEmpty(options.Influx.Username),
                "Ingest:Influx:Password is set without Ingest:Influx:Username.");
            Require(options.Influx.Version is 1 or 2, $"Ingest:Influx:Version must be 1 (InfluxDB 1.x) or 2 (InfluxDB 2.x/3.x), not {options.Influx.Version}.");
            if (options.Influx.Version == 2)
            {
                Require(!string.IsNullOrWhiteSpace(options.Influx.Token), "Ingest:Influx:Token must be set with Ingest:Influx:Version=2 (an InfluxDB API token).");
                Require(!string.IsNullOrWhiteSpace(options.Influx.Org), "Ingest:Influx:Org must be set with Ingest:Influx:Version=2.");
                Require(!string.IsNullOrWhiteSpace(options.Influx.Bucket), "Ingest:Influx:Bucket must be set with Ingest:Influx:Version=2.");
                Require(string.IsNullOrEmpty(options.Influx.Username), "Ingest:Influx:Username is not used with Ingest:Influx:Version=2: authenticate with Ingest:Influx:Token.");
            }
            Require(options.Pull.Interval >= TimeSpan.FromMilliseconds(100), "Ingest:Pull:Interval must be at least 100 ms.");
            Require(options.Pull.GraceWindow >= TimeSpan.Zero, "Ingest:Pull:GraceWindow must not be negative.");
            Require(options.Pull.LatenessWindow >= TimeSpan.Zero, "Ingest:Pull:LatenessWindow must not be negative.");
            Require(options.Pull.InitialLookback > TimeSpan.Zero, "Ingest:Pull:InitialLookback must be positive.");
            Require(options.Pull.MaxSeries >= 1, "Ingest:Pull:MaxSeries must be at least 1.");
            Require(!string.IsNullOrWhiteSpace(options.WriteBack.Measurement) && !options.WriteBack.Measurement.AsSpan().ContainsAny('\n', '\r'),
                "Ingest:WriteBack:Measurement must be a non-empty measurement name on one line.");
            if (!string.IsNullOrEmpty(options.Pull.Measurements))
            {
                try
                {
                    _ = new Regex(options.Pull.Measurements);
                }
                catch (ArgumentException e)
                {
                    failures.Add($"Ingest:Pull:Measurements is not a valid regular expression: {e.Message}");
                }
            }
        }
        else
        {
            Require(options.Pull.Enabled != true, "Ingest:Pull:Enabled is true but Ingest:Influx:Url is not set.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
