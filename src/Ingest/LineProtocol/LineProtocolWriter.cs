using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace MetaAnomaly.Ingest.LineProtocol;

/// <summary>
/// Writes line protocol into a growing UTF-8 buffer, escaping every name as <see cref="LineProtocolParser"/> reads it
/// back. Names cannot hold a newline, and a measurement cannot start with <c>#</c> or whitespace (line protocol has no
/// escape for these): such input throws <see cref="ArgumentException"/>.
/// </summary>
public sealed class LineProtocolWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public LineProtocolWriter(int initialCapacity = 4096)
    {
        _buffer = new ArrayBufferWriter<byte>(initialCapacity);
    }

    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    public int Lines { get; private set; }

    public void Clear()
    {
        _buffer.Clear();
        Lines = 0;
    }

    public LineProtocolWriter Write(LinePoint point) => Write(point.Measurement, point.Tags, point.Fields, point.Timestamp);

    /// <summary>One line; <paramref name="timestamp"/> in the unit of the write's precision (null: server time).</summary>
    public LineProtocolWriter Write(
        string measurement,
        IEnumerable<KeyValuePair<string, string>> tags,
        IEnumerable<KeyValuePair<string, FieldValue>> fields,
        long? timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(measurement);
        if (measurement[0] is '#' or ' ' or '\t')
        {
            throw new ArgumentException($"Measurement '{measurement}' cannot start with '#' or whitespace in line protocol.", nameof(measurement));
        }
        WriteEscaped(measurement, ",\\ ");
        foreach (var (key, value) in tags)
        {
            ArgumentException.ThrowIfNullOrEmpty(key, nameof(tags));
            ArgumentException.ThrowIfNullOrEmpty(value, nameof(tags));
            WriteByte((byte)',');
            WriteEscaped(key, ",=\\ ");
            WriteByte((byte)'=');
            WriteEscaped(value, ",=\\ ");
        }
        var separator = (byte)' ';
        foreach (var (key, value) in fields)
        {
            ArgumentException.ThrowIfNullOrEmpty(key, nameof(fields));
            WriteByte(separator);
            separator = (byte)',';
            WriteEscaped(key, ",=\\ ");
            WriteByte((byte)'=');
            WriteValue(value);
        }
        if (separator == ' ')
        {
            throw new ArgumentException($"A line of measurement '{measurement}' needs at least one field.", nameof(fields));
        }
        if (timestamp is { } stamp)
        {
            WriteByte((byte)' ');
            WriteFormatted(stamp);
        }
        WriteByte((byte)'\n');
        Lines++;
        return this;
    }

    private void WriteValue(FieldValue value)
    {
        switch (value.Kind)
        {
            case FieldKind.Float:
                if (!double.IsFinite(value.Number))
                {
                    throw new ArgumentException("Line protocol cannot carry NaN or infinite floats.", nameof(value));
                }
                var span = _buffer.GetSpan(32);
                if (!value.Number.TryFormat(span, out var written, "R", System.Globalization.CultureInfo.InvariantCulture))
                {
                    throw new InvalidOperationException("Float formatting failed.");
                }
                _buffer.Advance(written);
                break;
            case FieldKind.Integer:
                WriteFormatted(value.Integer);
                WriteByte((byte)'i');
                break;
            case FieldKind.Unsigned:
                var target = _buffer.GetSpan(24);
                Utf8Formatter.TryFormat(value.Unsigned, target, out var count);
                _buffer.Advance(count);
                WriteByte((byte)'u');
                break;
            case FieldKind.Boolean:
                WriteAscii(value.Boolean ? "true"u8 : "false"u8);
                break;
            default:
                WriteByte((byte)'"');
                WriteEscaped(value.Text ?? "", "\"\\", allowNewline: true);
                WriteByte((byte)'"');
                break;
        }
    }

    private void WriteFormatted(long value)
    {
        var span = _buffer.GetSpan(24);
        Utf8Formatter.TryFormat(value, span, out var written);
        _buffer.Advance(written);
    }

    private void WriteEscaped(string text, string escapable, bool allowNewline = false)
    {
        if (!allowNewline && text.Contains('\n'))
        {
            throw new ArgumentException($"'{text}' holds a newline, which line protocol cannot carry in a name.", nameof(text));
        }
        var span = _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length) * 2);
        var length = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsAscii && escapable.Contains((char)rune.Value))
            {
                span[length++] = (byte)'\\';
            }
            length += rune.EncodeToUtf8(span[length..]);
        }
        _buffer.Advance(length);
    }

    private void WriteAscii(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.GetSpan(bytes.Length));
        _buffer.Advance(bytes.Length);
    }

    private void WriteByte(byte b)
    {
        _buffer.GetSpan(1)[0] = b;
        _buffer.Advance(1);
    }
}
