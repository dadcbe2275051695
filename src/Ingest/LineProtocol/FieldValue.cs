using System.Globalization;

namespace MetaAnomaly.Ingest.LineProtocol;

public enum FieldKind : byte
{
    Float,
    Integer,
    Unsigned,
    Boolean,
    String,
}

/// <summary>One line-protocol field value with its type.</summary>
public readonly record struct FieldValue
{
    private FieldValue(FieldKind kind, double number, long integer, ulong unsigned, string? text)
    {
        Kind = kind;
        Number = number;
        Integer = integer;
        Unsigned = unsigned;
        Text = text;
    }

    public FieldKind Kind { get; }

    public double Number { get; }

    public long Integer { get; }

    public ulong Unsigned { get; }

    public string? Text { get; }

    public bool Boolean => Integer != 0;

    /// <summary>True for float, integer and unsigned fields: each is a numeric series.</summary>
    public bool IsNumeric => Kind is FieldKind.Float or FieldKind.Integer or FieldKind.Unsigned;

    /// <summary>The numeric value as a double (integers and unsigned converted).</summary>
    public double AsDouble => Kind switch
    {
        FieldKind.Integer => Integer,
        FieldKind.Unsigned => Unsigned,
        _ => Number,
    };

    public static FieldValue Float(double value) => new(FieldKind.Float, value, 0, 0, null);

    public static FieldValue Int(long value) => new(FieldKind.Integer, value, value, 0, null);

    public static FieldValue UInt(ulong value) => new(FieldKind.Unsigned, value, 0, value, null);

    public static FieldValue Bool(bool value) => new(FieldKind.Boolean, 0, value ? 1 : 0, 0, null);

    public static FieldValue String(string value) => new(FieldKind.String, 0, 0, 0, value);

    public override string ToString() => Kind switch
    {
        FieldKind.Float => Number.ToString("R", CultureInfo.InvariantCulture),
        FieldKind.Integer => Integer.ToString(CultureInfo.InvariantCulture) + "i",
        FieldKind.Unsigned => Unsigned.ToString(CultureInfo.InvariantCulture) + "u",
        FieldKind.Boolean => Boolean ? "true" : "false",
        _ => "\"" + Text + "\"",
    };
}
