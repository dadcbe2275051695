using System.Buffers;
using System.Globalization;
using System.Text;

namespace MetaAnomaly.Ingest.LineProtocol;

/// <summary>
/// InfluxDB line protocol over UTF-8 bytes: <c>measurement[,tag=value...] field=value[,field=value...] [timestamp]</c>.
/// </summary>
/// <remarks>
/// Escapes follow InfluxDB's reference: in measurements <c>\,</c> <c>\ </c>; in tag keys, tag values and field keys
/// <c>\,</c> <c>\=</c> <c>\ </c>; in string field values <c>\"</c>; everywhere <c>\\</c> is one backslash, and a backslash
/// before any other byte is literal. Field values: floats (<c>1</c>, <c>-1.5e3</c>; <c>NaN</c> and <c>Inf</c> are read
/// so that the buffers can count and skip them), integers <c>1i</c>, unsigned <c>1u</c>, booleans
/// (<c>t T true True TRUE f F false False FALSE</c>) and quoted strings, which may span lines. Blank lines and lines
/// starting with <c>#</c> are skipped.
/// </remarks>
public static class LineProtocolParser
{
    private static readonly SearchValues<byte> MeasurementStops = SearchValues.Create(",\\ "u8);
    private static readonly SearchValues<byte> TagKeyStops = SearchValues.Create(",=\\ "u8);
    private static readonly SearchValues<byte> StringStops = SearchValues.Create("\"\\"u8);
    private static readonly SearchValues<byte> ValueStops = SearchValues.Create(", "u8);

    /// <summary>
    /// The next line of <paramref name="body"/> from <paramref name="position"/>: advances past its newline and counts
    /// the newlines consumed in <paramref name="lineNumber"/> (a quoted string may hold some). False at the end.
    /// </summary>
    public static bool NextLine(ReadOnlySpan<byte> body, ref int position, ref int lineNumber, out ReadOnlySpan<byte> line, out int startLine)
    {
        startLine = lineNumber + 1;
        if (position >= body.Length)
        {
            line = default;
            return false;
        }
        var rest = body[position..];
        var newline = rest.IndexOf((byte)'\n');
        var candidate = newline < 0 ? rest : rest[..newline];
        var spansLines = false;
        if (candidate.IndexOf((byte)'"') >= 0 && !IsComment(candidate))
        {
            newline = QuoteAwareLineEnd(rest);
            spansLines = true;
        }
        var end = newline < 0 ? rest.Length : newline;
        line = rest[..end];
        lineNumber += spansLines ? 1 + line.Count((byte)'\n') : 1;
        position += newline < 0 ? rest.Length : end + 1;
        if (line.Length > 0 && line[^1] == '\r')
        {
            line = line[..^1];
        }
        return true;
    }

    /// <summary>
    /// Parses one line into <paramref name="parsed"/>. Returns false with a reason for a malformed line, and false with
    /// a null reason for a blank line or a comment.
    /// </summary>
    public static bool TryParseLine(ReadOnlySpan<byte> line, ParsedLine parsed, out string? error)
    {
        parsed.Clear();
        error = null;
        var i = SkipSpaces(line, 0);
        if (i == line.Length || line[i] == '#')
        {
            return false;
        }

        var start = i;
        i = ScanName(line, i, MeasurementStops);
        if (i == start)
        {
            return Fail("missing measurement", out error);
        }
        parsed.Measurement = new Segment(start, i - start);
        while (i < line.Length && line[i] == ',')
        {
            var keyStart = ++i;
            i = ScanName(line, i, TagKeyStops);
            if (i == line.Length || line[i] != '=')
            {
                return Fail($"tag key '{Text(line, keyStart, i)}' has no '='", out error);
            }
            if (i == keyStart)
            {
                return Fail("empty tag key", out error);
            }
            var valueStart = ++i;
            i = ScanName(line, i, TagKeyStops);
            if (i < line.Length && line[i] == '=')
            {
                return Fail($"unescaped '=' in the value of tag '{Text(line, keyStart, valueStart - 1)}'", out error);
            }
            if (i == valueStart)
            {
                return Fail($"tag '{Text(line, keyStart, valueStart - 1)}' has an empty value", out error);
            }
            parsed.Tags.Add((new Segment(keyStart, valueStart - 1 - keyStart), new Segment(valueStart, i - valueStart)));
        }
        parsed.Series = new Segment(start, i - start);
        if (i == line.Length || line[i] != ' ')
        {
            return Fail("missing fields", out error);
        }
        i = SkipSpaces(line, i);
        if (i == line.Length)
        {
            return Fail("missing fields", out error);
        }

        while (true)
        {
            var keyStart = i;
            i = ScanName(line, i, TagKeyStops);
            if (i == line.Length || line[i] != '=')
            {
                return Fail($"field '{Text(line, keyStart, i)}' has no '=' and value", out error);
            }
            if (i == keyStart)
            {
                return Fail("empty field key", out error);
            }
            var key = new Segment(keyStart, i - keyStart);
            i++;
            if (!TryParseValue(line, ref i, key, parsed, out error))
            {
                return false;
            }
            if (i < line.Length && line[i] == ',')
            {
                i++;
                continue;
            }
            break;
        }

        i = SkipSpaces(line, i);
        if (i < line.Length)
        {
            var stampStart = i;
            var stampEnd = line[i..].IndexOf((byte)' ');
            stampEnd = stampEnd < 0 ? line.Length : i + stampEnd;
            if (!TryParseInteger(line[stampStart..stampEnd], out var stamp))
            {
                return Fail($"invalid timestamp '{Text(line, stampStart, stampEnd)}'", out error);
            }
            parsed.Timestamp = stamp;
            if (SkipSpaces(line, stampEnd) != line.Length)
            {
                return Fail("unexpected text after the timestamp", out error);
            }
        }
        return true;
    }

    /// <summary>Unescapes a measurement segment.</summary>
    public static string UnescapeMeasurement(ReadOnlySpan<byte> raw) => Unescape(raw, ",\\ "u8);

    /// <summary>Unescapes a tag key, tag value or field key segment.</summary>
    public static string UnescapeName(ReadOnlySpan<byte> raw) => Unescape(raw, ",=\\ "u8);

    /// <summary>Unescapes the inside of a quoted string field value.</summary>
    public static string UnescapeString(ReadOnlySpan<byte> raw) => Unescape(raw, "\"\\"u8);

    /// <summary>Every line of <paramref name="body"/> as unescaped points and errors (allocates; for tests and tools).</summary>
    public static (IReadOnlyList<LinePoint> Points, IReadOnlyList<LineError> Errors) ParseAll(ReadOnlySpan<byte> body)
    {
        var points = new List<LinePoint>();
        var errors = new List<LineError>();
        var parsed = new ParsedLine();
        int position = 0, lineNumber = 0;
        while (NextLine(body, ref position, ref lineNumber, out var line, out var number))
        {
            if (TryParseLine(line, parsed, out var error))
            {
                points.Add(ToPoint(line, parsed));
            }
            else if (error is not null)
            {
                errors.Add(new LineError(number, error));
            }
        }
        return (points, errors);
    }

    public static LinePoint ToPoint(ReadOnlySpan<byte> line, ParsedLine parsed)
    {
        var tags = new KeyValuePair<string, string>[parsed.Tags.Count];
        for (var t = 0; t < tags.Length; t++)
        {
            var (key, value) = parsed.Tags[t];
            tags[t] = new(UnescapeName(key.Of(line)), UnescapeName(value.Of(line)));
        }
        var fields = new KeyValuePair<string, FieldValue>[parsed.Fields.Count];
        for (var f = 0; f < fields.Length; f++)
        {
            var field = parsed.Fields[f];
            fields[f] = new(UnescapeName(field.Key.Of(line)), field.Kind switch
            {
                FieldKind.Float => FieldValue.Float(field.Number),
                FieldKind.Integer => FieldValue.Int(field.Integer),
                FieldKind.Unsigned => FieldValue.UInt(field.Unsigned),
                FieldKind.Boolean => FieldValue.Bool(field.Integer != 0),
                _ => FieldValue.String(UnescapeString(field.Text.Of(line))),
            });
        }
        return new LinePoint(UnescapeMeasurement(parsed.Measurement.Of(line)), tags, fields, parsed.Timestamp);
    }

    private static bool TryParseValue(ReadOnlySpan<byte> line, ref int i, Segment key, ParsedLine parsed, out string? error)
    {
        error = null;
        if (i < line.Length && line[i] == '"')
        {
            var textStart = ++i;
            while (true)
            {
                var next = line[i..].IndexOfAny(StringStops);
                if (next < 0)
                {
                    return Fail($"field '{Text(line, key.Start, key.Start + key.Length)}' has an unterminated string", out error);
                }
                i += next;
                if (line[i] == '\\')
                {
                    i += 2;
                    if (i > line.Length)
                    {
                        return Fail($"field '{Text(line, key.Start, key.Start + key.Length)}' has an unterminated string", out error);
                    }
                    continue;
                }
                break;
            }
            parsed.Fields.Add(new ParsedField(key, FieldKind.String, 0, 0, 0, new Segment(textStart, i - textStart)));
            i++;
            if (i < line.Length && line[i] is not (byte)',' and not (byte)' ')
            {
                return Fail($"unexpected text after the string of field '{Text(line, key.Start, key.Start + key.Length)}'", out error);
            }
            return true;
        }

        var valueStart = i;
        var end = line[i..].IndexOfAny(ValueStops);
        i = end < 0 ? line.Length : i + end;
        var token = line[valueStart..i];
        if (token.IsEmpty)
        {
            return Fail($"field '{Text(line, key.Start, key.Start + key.Length)}' has no value", out error);
        }
        switch (token[^1])
        {
            case (byte)'i' when token.Length > 1 && IsNumberStart(token[0]):
                if (!long.TryParse(token[..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    break;
                }
                parsed.Fields.Add(new ParsedField(key, FieldKind.Integer, 0, integer, 0, default));
                return true;
            case (byte)'u' when token.Length > 1 && char.IsAsciiDigit((char)token[0]):
                if (!ulong.TryParse(token[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var unsigned))
                {
                    break;
                }
                parsed.Fields.Add(new ParsedField(key, FieldKind.Unsigned, 0, 0, unsigned, default));
                return true;
            default:
                if (TrySpecialFloat(token, out var special))
                {
                    parsed.Fields.Add(new ParsedField(key, FieldKind.Float, special, 0, 0, default));
                    return true;
                }
                if (IsNumberStart(token[0]))
                {
                    if (!TryParseSimpleDecimal(token, out var number)
                        && (!LooksNumeric(token) || !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out number)))
                    {
                        break;
                    }
                    parsed.Fields.Add(new ParsedField(key, FieldKind.Float, number, 0, 0, default));
                    return true;
                }
                if (TryBoolean(token, out var boolean))
                {
                    parsed.Fields.Add(new ParsedField(key, FieldKind.Boolean, 0, boolean ? 1 : 0, 0, default));
                    return true;
                }
                break;
        }
        return Fail($"field '{Text(line, key.Start, key.Start + key.Length)}' has an invalid value '{Encoding.UTF8.GetString(token)}'", out error);
    }

    private static readonly double[] PowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>
    /// <c>[-]digits[.digits]</c> with at most 15 significant digits, the common case, without the general parser:
    /// an integer mantissa below 2^53 divided by an exactly representable power of ten is correctly rounded
    /// (Clinger's fast path). Anything else returns false and takes the general path.
    /// </summary>
    private static bool TryParseSimpleDecimal(ReadOnlySpan<byte> token, out double value)
    {
        value = 0;
        var i = 0;
        var negative = token[0] == '-';
        if (negative)
        {
            i = 1;
        }
        long mantissa = 0;
        int digits = 0, fraction = -1;
        for (; i < token.Length; i++)
        {
            var b = token[i];
            if ((uint)(b - '0') <= 9)
            {
                if (++digits > 15)
                {
                    return false;
                }
                mantissa = mantissa * 10 + (b - '0');
                if (fraction >= 0)
                {
                    fraction++;
                }
            }
            else if (b == '.' && fraction < 0)
            {
                fraction = 0;
            }
            else
            {
                return false;
            }
        }
        if (digits == 0)
        {
            return false;
        }
        value = fraction > 0 ? mantissa / PowersOfTen[fraction] : mantissa;
        if (negative)
        {
            value = -value;
        }
        return true;
    }

    /// <summary>An optionally negative decimal integer (timestamps); 19 digits fit an unsigned accumulator.</summary>
    private static bool TryParseInteger(ReadOnlySpan<byte> token, out long value)
    {
        value = 0;
        var negative = token.Length > 0 && token[0] == '-';
        var digits = negative ? token[1..] : token;
        if (digits.IsEmpty || digits.Length > 19)
        {
            return false;
        }
        ulong result = 0;
        foreach (var b in digits)
        {
            if ((uint)(b - '0') > 9)
            {
                return false;
            }
            result = result * 10 + (uint)(b - '0');
        }
        if (result > (negative ? (ulong)long.MaxValue + 1 : long.MaxValue))
        {
            return false;
        }
        value = negative ? (long)(0 - result) : (long)result;
        return true;
    }

    private static bool IsNumberStart(byte b) => b is (byte)'-' or (byte)'+' or (byte)'.' || char.IsAsciiDigit((char)b);

    /// <summary>Digits, sign, dot and exponent only: refuses what .NET would also read (thousands separators, "∞").</summary>
    private static bool LooksNumeric(ReadOnlySpan<byte> token)
    {
        foreach (var b in token)
        {
            if (!char.IsAsciiDigit((char)b) && b is not ((byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E'))
            {
                return false;
            }
        }
        return true;
    }

    private static bool TryBoolean(ReadOnlySpan<byte> token, out bool value)
    {
        value = token.SequenceEqual("t"u8) || token.SequenceEqual("T"u8) || token.SequenceEqual("true"u8)
            || token.SequenceEqual("True"u8) || token.SequenceEqual("TRUE"u8);
        return value || token.SequenceEqual("f"u8) || token.SequenceEqual("F"u8) || token.SequenceEqual("false"u8)
            || token.SequenceEqual("False"u8) || token.SequenceEqual("FALSE"u8);
    }

    private static bool TrySpecialFloat(ReadOnlySpan<byte> token, out double value)
    {
        value = token switch
        {
            _ when token.SequenceEqual("NaN"u8) || token.SequenceEqual("nan"u8) => double.NaN,
            _ when token.SequenceEqual("Inf"u8) || token.SequenceEqual("inf"u8) || token.SequenceEqual("+Inf"u8) => double.PositiveInfinity,
            _ when token.SequenceEqual("-Inf"u8) || token.SequenceEqual("-inf"u8) => double.NegativeInfinity,
            _ => 0,
        };
        return value != 0;
    }

    /// <summary>Index of the first unescaped stop byte (or the end), skipping <c>\x</c> pairs.</summary>
    private static int ScanName(ReadOnlySpan<byte> line, int i, SearchValues<byte> stops)
    {
        while (true)
        {
            var next = line[i..].IndexOfAny(stops);
            if (next < 0)
            {
                return line.Length;
            }
            i += next;
            if (line[i] != '\\')
            {
                return i;
            }
            i = Math.Min(i + 2, line.Length);
        }
    }

    /// <summary>Skips spaces (and tabs at the start of the line only, where no name can begin with one).</summary>
    private static int SkipSpaces(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && (line[i] == ' ' || i == 0 && line[i] == '\t' || i > 0 && line[i] == '\t' && AllBlank(line[..i])))
        {
            i++;
        }
        return i;
    }

    private static bool AllBlank(ReadOnlySpan<byte> prefix) => prefix.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0;

    private static bool IsComment(ReadOnlySpan<byte> line)
    {
        var i = SkipSpaces(line, 0);
        return i < line.Length && line[i] == '#';
    }

    /// <summary>The newline that ends the line, ignoring newlines inside closed quoted field values; -1 at the end.</summary>
    private static int QuoteAwareLineEnd(ReadOnlySpan<byte> rest)
    {
        // section 0: measurement and tags; 1: fields (where quoted values live); 2: timestamp.
        var section = 0;
        var sectionStarted = false;
        var afterEquals = false;
        var quoted = false;
        var firstNewline = -1;
        for (var i = 0; i < rest.Length; i++)
        {
            var b = rest[i];
            if (quoted)
            {
                if (b == '\\')
                {
                    i++;
                }
                else if (b == '"')
                {
                    quoted = false;
                }
                else if (b == '\n' && firstNewline < 0)
                {
                    firstNewline = i;
                }
                continue;
            }
            if (b == '\n')
            {
                return i;
            }
            if (b == ' ' || b == '\t' && section == 0 && !sectionStarted)
            {
                if (sectionStarted && section < 2)
                {
                    section++;
                    sectionStarted = false;
                }
                afterEquals = false;
                continue;
            }
            sectionStarted = true;
            if (b == '\\')
            {
                i++;
                afterEquals = false;
                continue;
            }
            quoted = b == '"' && afterEquals && section == 1;
            afterEquals = b == '=';
        }
        // A quote that never closes ends at its own line, so that one bad line does not swallow the rest.
        return quoted ? firstNewline : -1;
    }

    private static string Unescape(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> escapable)
    {
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return Encoding.UTF8.GetString(raw);
        }
        var buffer = raw.Length <= 256 ? stackalloc byte[raw.Length] : new byte[raw.Length];
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 1 < raw.Length && escapable.Contains(raw[i + 1]))
            {
                i++;
            }
            buffer[length++] = raw[i];
        }
        return Encoding.UTF8.GetString(buffer[..length]);
    }

    private static string Text(ReadOnlySpan<byte> line, int from, int to) => Encoding.UTF8.GetString(line[from..Math.Min(to, line.Length)]);

    private static bool Fail(string reason, out string? error)
    {
        error = reason;
        return false;
    }
}
