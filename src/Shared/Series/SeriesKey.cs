using System.Text;

namespace MetaAnomaly.Shared.Series;

/// <summary>
/// Identity of one numeric series: a measurement, its tag set (sorted by key) and one field,
/// as InfluxDB identifies it. Each numeric field of a line is its own series.
/// </summary>
/// <remarks>
/// The canonical text form is the line-protocol series key followed by <c>#field</c>, for example
/// <c>cpu,host=a,region=eu#usage_idle</c>; <see cref="Parse"/> reads it back.
/// </remarks>
public sealed class SeriesKey : IEquatable<SeriesKey>, IComparable<SeriesKey>
{
    private readonly string _canonical;
    private readonly int _hash;

    public SeriesKey(string measurement, IEnumerable<KeyValuePair<string, string>> tags, string field)
    {
        ArgumentException.ThrowIfNullOrEmpty(measurement);
        ArgumentException.ThrowIfNullOrEmpty(field);
        Measurement = measurement;
        Field = field;
        Tags = tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToArray();
        _canonical = Format(Measurement, Tags, Field);
        _hash = _canonical.GetHashCode(StringComparison.Ordinal);
    }

    public string Measurement { get; }

    /// <summary>Tags sorted by key (ordinal).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; }

    public string Field { get; }

    public static SeriesKey Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var hash = LastUnescaped(text, '#');
        if (hash <= 0 || hash == text.Length - 1)
        {
            throw new FormatException($"'{text}' is not a series key: expected measurement[,tag=value...]#field.");
        }
        var field = Unescape(text[(hash + 1)..]);
        var parts = SplitUnescaped(text[..hash], ',');
        var tags = new List<KeyValuePair<string, string>>();
        foreach (var part in parts.Skip(1))
        {
            var eq = SplitUnescaped(part, '=');
            if (eq.Count != 2 || eq[0].Length == 0)
            {
                throw new FormatException($"'{text}' has a malformed tag '{part}'.");
            }
            tags.Add(new(Unescape(eq[0]), Unescape(eq[1])));
        }
        return new SeriesKey(Unescape(parts[0]), tags, field);
    }

    public static bool TryParse(string? text, out SeriesKey? key)
    {
        key = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        try
        {
            key = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public string? Tag(string key) => Tags.FirstOrDefault(t => t.Key == key).Value;

    public bool Equals(SeriesKey? other) => other is not null && (ReferenceEquals(this, other) || _hash == other._hash && _canonical == other._canonical);

    public override bool Equals(object? obj) => obj is SeriesKey other && Equals(other);

    /// <remarks>Computed once: every point looks its series up by key, in the buffers and the write-ahead log.</remarks>
    public override int GetHashCode() => _hash;

    public int CompareTo(SeriesKey? other) => string.CompareOrdinal(_canonical, other?._canonical);

    public override string ToString() => _canonical;

    public static bool operator ==(SeriesKey? left, SeriesKey? right) => Equals(left, right);

    public static bool operator !=(SeriesKey? left, SeriesKey? right) => !Equals(left, right);

    private static string Format(string measurement, IReadOnlyList<KeyValuePair<string, string>> tags, string field)
    {
        var text = new StringBuilder(Escape(measurement));
        foreach (var (key, value) in tags)
        {
            text.Append(',').Append(Escape(key)).Append('=').Append(Escape(value));
        }
        return text.Append('#').Append(Escape(field)).ToString();
    }

    private static string Escape(string part)
    {
        var text = new StringBuilder(part.Length);
        foreach (var c in part)
        {
            if (c is ',' or '=' or '#' or ' ' or '\\')
            {
                text.Append('\\');
            }
            text.Append(c);
        }
        return text.ToString();
    }

    private static string Unescape(string part)
    {
        var text = new StringBuilder(part.Length);
        for (var i = 0; i < part.Length; i++)
        {
            if (part[i] == '\\' && i + 1 < part.Length)
            {
                i++;
            }
            text.Append(part[i]);
        }
        return text.ToString();
    }

    private static int LastUnescaped(string text, char separator)
    {
        var found = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == separator)
            {
                found = i;
            }
        }
        return found;
    }

    private static List<string> SplitUnescaped(string text, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == separator)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }
        parts.Add(text[start..]);
        return parts;
    }
}
