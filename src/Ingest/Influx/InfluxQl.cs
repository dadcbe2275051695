using System.Text;

namespace MetaAnomaly.Ingest.Influx;

/// <summary>Quoting for InfluxQL text built from configuration and discovered names.</summary>
public static class InfluxQl
{
    /// <summary>A double-quoted identifier (measurement, field, tag key, database, retention policy).</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>A single-quoted string literal (tag values).</summary>
    public static string Literal(string value) => "'" + value.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    /// <summary>A <c>/regex/</c> literal.</summary>
    public static string Regex(string pattern) => "/" + pattern.Replace("/", "\\/") + "/";

    /// <summary><c>"db"."rp"."measurement"</c>, or <c>"db".."measurement"</c> for the default retention policy.</summary>
    public static string From(string database, string? retentionPolicy, string measurement) =>
        new StringBuilder(Identifier(database)).Append('.')
            .Append(string.IsNullOrEmpty(retentionPolicy) ? "" : Identifier(retentionPolicy))
            .Append('.').Append(Identifier(measurement)).ToString();
}
