namespace MetaAnomaly.Ingest.Influx;

/// <summary>
/// One series (or one chunk of it) from an InfluxQL result. Row cells are <c>long</c> (the time column with
/// <c>epoch=</c>), <c>double</c> (every other number), <c>string</c>, <c>bool</c> or null.
/// </summary>
public sealed record InfluxSeries(
    int StatementId,
    string Name,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Columns,
    IReadOnlyList<object?[]> Values)
{
    public int ColumnIndex(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i] == column)
            {
                return i;
            }
        }
        return -1;
    }
}
