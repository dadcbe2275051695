using System.Text.Unicode;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Ingest.LineProtocol;

/// <summary>What decoding one body produced. <see cref="Errors"/> lists at most <see cref="PointDecoder.MaxReportedErrors"/>.</summary>
public readonly record struct DecodeSummary(int Lines, int Points, int NonNumericFields, int MalformedLines, IReadOnlyList<LineError> Errors);

/// <summary>
/// Turns a line-protocol body into <see cref="DataPoint"/>s: one per numeric field (float, integer, unsigned);
/// string and boolean fields are counted and skipped; malformed lines, lines that are not UTF-8 and lines whose series
/// key is longer than <see cref="SeriesKeyCache.MaxKeyBytes"/> become <see cref="LineError"/>s and decoding goes on
/// with the next line. Not thread-safe: use one per request (the <see cref="SeriesKeyCache"/> is shared).
/// </summary>
public sealed class PointDecoder(SeriesKeyCache keys)
{
    /// <summary>Errors kept per body; the rest are counted only.</summary>
    public const int MaxReportedErrors = 100;

    private readonly ParsedLine _parsed = new();

    /// <param name="nanosecondsPerUnit">From <see cref="Precision.TryParse"/>.</param>
    /// <param name="receivedAt">The timestamp of lines without one.</param>
    public DecodeSummary Decode(ReadOnlySpan<byte> body, long nanosecondsPerUnit, DateTimeOffset receivedAt, List<DataPoint> output)
    {
        List<LineError>? errors = null;
        int position = 0, lineNumber = 0, lines = 0, points = 0, nonNumeric = 0, errorCount = 0;
        var validUtf8 = Utf8.IsValid(body);
        while (LineProtocolParser.NextLine(body, ref position, ref lineNumber, out var line, out var number))
        {
            if (!validUtf8 && !Utf8.IsValid(line))
            {
                errorCount++;
                if (errorCount <= MaxReportedErrors)
                {
                    (errors ??= []).Add(new LineError(number, "invalid UTF-8"));
                }
                continue;
            }
            if (!LineProtocolParser.TryParseLine(line, _parsed, out var error))
            {
                if (error is not null)
                {
                    errorCount++;
                    if (errorCount <= MaxReportedErrors)
                    {
                        (errors ??= []).Add(new LineError(number, error));
                    }
                }
                continue;
            }
            DateTimeOffset timestamp;
            if (_parsed.Timestamp is { } stamp)
            {
                if (!TryToTimestamp(stamp, nanosecondsPerUnit, out timestamp))
                {
                    errorCount++;
                    if (errorCount <= MaxReportedErrors)
                    {
                        (errors ??= []).Add(new LineError(number, "timestamp out of range"));
                    }
                    continue;
                }
            }
            else
            {
                timestamp = receivedAt;
            }
            if (LongestKeyBytes(_parsed) is var keyBytes && keyBytes > keys.MaxKeyBytes)
            {
                errorCount++;
                if (errorCount <= MaxReportedErrors)
                {
                    (errors ??= []).Add(new LineError(number, $"max key length exceeded: {keyBytes} > {keys.MaxKeyBytes} (Ingest:Push:MaxKeyBytes)"));
                }
                continue;
            }
            lines++;
            CachedSeries? series = null;
            for (var f = 0; f < _parsed.Fields.Count; f++)
            {
                var field = _parsed.Fields[f];
                double value;
                switch (field.Kind)
                {
                    case FieldKind.Float:
                        value = field.Number;
                        break;
                    case FieldKind.Integer:
                        value = field.Integer;
                        break;
                    case FieldKind.Unsigned:
                        value = field.Unsigned;
                        break;
                    default:
                        nonNumeric++;
                        continue;
                }
                output.Add(new DataPoint(keys.Get(line, _parsed, field, f, ref series), timestamp, value));
                points++;
            }
        }
        if (errorCount > MaxReportedErrors)
        {
            errors!.Add(new LineError(0, $"{errorCount - MaxReportedErrors} more malformed lines not listed"));
        }
        return new DecodeSummary(lines, points, nonNumeric, errorCount, (IReadOnlyList<LineError>?)errors ?? []);
    }

    /// <summary>The bytes of the line's longest series key: its series part, a separator and its longest field key.</summary>
    private static int LongestKeyBytes(ParsedLine parsed)
    {
        var field = 0;
        foreach (var f in parsed.Fields)
        {
            field = Math.Max(field, f.Key.Length);
        }
        return parsed.Series.Length + 1 + field;
    }

    /// <summary>Nanoseconds since the Unix epoch from a timestamp in the given unit; false on overflow.</summary>
    public static bool TryToTimestamp(long stamp, long nanosecondsPerUnit, out DateTimeOffset timestamp)
    {
        timestamp = default;
        long nanoseconds;
        try
        {
            nanoseconds = checked(stamp * nanosecondsPerUnit);
        }
        catch (OverflowException)
        {
            return false;
        }
        timestamp = DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / 100);
        return true;
    }
}
