using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Ingest.Push.Prometheus;

/// <summary>
/// Turns a remote-write 1.0 body (a snappy-compressed protobuf <c>WriteRequest</c>) into <see cref="DataPoint"/>s: one
/// series per time series, keyed by its metric name as the measurement, its other labels as tags (a label with an
/// empty value is absent, as in Prometheus) and the field <c>value</c>, as InfluxDB keys what Prometheus writes to it.
/// Sample timestamps are milliseconds. NaN and infinite samples (stale markers, empty summaries) and native histograms
/// carry no number to score: they are counted as non-numeric and skipped. A malformed time series is reported and
/// skipped; the others are kept. Series keys are cached (<see cref="RemoteWriteSeriesKeys"/>): use one decoder for all requests.
/// </summary>
public sealed class RemoteWriteDecoder
{
    /// <summary>The field of every series that remote-write feeds.</summary>
    public const string Field = "value";

    /// <summary>Problems listed per body; the rest are counted only.</summary>
    public const int MaxReportedProblems = 100;

    /// <summary><see cref="DateTimeOffset.MinValue"/> and <see cref="DateTimeOffset.MaxValue"/> in Unix milliseconds.</summary>
    private const long MinUnixMilliseconds = -62_135_596_800_000, MaxUnixMilliseconds = 253_402_300_799_999;

    private readonly RemoteWriteSeriesKeys _keys;

    /// <param name="maxKeyBytes">The longest series key, as <c>Ingest:Push:MaxKeyBytes</c>.</param>
    /// <param name="maxCacheBytes">The bound of the series-key cache, as <c>Ingest:Push:KeyCacheMegabytes</c>.</param>
    public RemoteWriteDecoder(int maxKeyBytes = PushOptions.Defaults.MaxKeyBytes, long maxCacheBytes = PushOptions.Defaults.KeyCacheMegabytes * 1024L * 1024)
    {
        _keys = new RemoteWriteSeriesKeys(maxKeyBytes, maxCacheBytes);
    }

    /// <summary>Decodes <paramref name="body"/> into <paramref name="points"/>; a body over <paramref name="maxDecodedBytes"/> once decompressed is refused whole. Thread-safe.</summary>
    public PushDecoding Decode(ReadOnlySpan<byte> body, long maxDecodedBytes, List<DataPoint> points)
    {
        if (!TryReadDecodedLength(body, out var decodedLength))
        {
            return Refused("the body is not snappy-compressed (block format, as remote-write 1.0 sends it)");
        }
        if (decodedLength > (ulong)maxDecodedBytes)
        {
            return Refused($"the body decompresses to {decodedLength} bytes, over Ingest:Push:MaxBodyBytes={maxDecodedBytes}");
        }
        WriteRequest request;
        try
        {
            request = WriteRequest.Parser.ParseFrom(IronSnappy.Snappy.Decode(body));
        }
        catch (Exception e) when (e is IOException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return Refused($"the body is not a snappy-compressed protobuf WriteRequest: {e.Message}");
        }

        var problems = new List<string>();
        int malformed = 0, nonNumeric = 0;
        for (var index = 0; index < request.Timeseries.Count; index++)
        {
            var series = request.Timeseries[index];
            nonNumeric += series.Histograms.Count;
            if (_keys.Get(series, out var invalid) is not { } key)
            {
                Report($"time series {index + 1}: {invalid}");
                continue;
            }
            foreach (var sample in series.Samples)
            {
                if (!double.IsFinite(sample.Value))
                {
                    nonNumeric++;
                }
                else if (sample.Timestamp is < MinUnixMilliseconds or > MaxUnixMilliseconds)
                {
                    Report($"time series {index + 1} ({key}): timestamp {sample.Timestamp} ms out of range");
                }
                else
                {
                    points.Add(new DataPoint(key, DateTimeOffset.FromUnixTimeMilliseconds(sample.Timestamp), sample.Value));
                }
            }
        }
        if (malformed > MaxReportedProblems)
        {
            problems.Add($"{malformed - MaxReportedProblems} more malformed time series or samples not listed");
        }
        return new PushDecoding(malformed, problems, nonNumeric);

        void Report(string problem)
        {
            malformed++;
            if (malformed <= MaxReportedProblems)
            {
                problems.Add(problem);
            }
        }
    }

    private static PushDecoding Refused(string reason) => new(1, [reason], 0);

    /// <summary>The decompressed length that opens a snappy block: an unsigned varint of at most 32 bits.</summary>
    private static bool TryReadDecodedLength(ReadOnlySpan<byte> block, out ulong length)
    {
        length = 0;
        for (var i = 0; i < Math.Min(block.Length, 5); i++)
        {
            length |= (ulong)(block[i] & 0x7F) << (7 * i);
            if ((block[i] & 0x80) == 0)
            {
                return length <= uint.MaxValue;
            }
        }
        return false;
    }
}
