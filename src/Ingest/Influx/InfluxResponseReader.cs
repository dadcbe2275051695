using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace MetaAnomaly.Ingest.Influx;

/// <summary>
/// Reads InfluxDB's query JSON from a stream, one document per line as <c>chunked=true</c> sends them, with
/// <see cref="Utf8JsonReader"/>: series are yielded as each chunk completes, so a large result is never held whole.
/// </summary>
internal static class InfluxResponseReader
{
    public static async IAsyncEnumerable<InfluxSeries> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        try
        {
            while (true)
            {
                var read = await pipe.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                var document = new List<InfluxSeries>();
                while (TryReadLine(ref buffer, out var line) || read.IsCompleted && !buffer.IsEmpty && TakeRest(ref buffer, out line))
                {
                    document.Clear();
                    ParseDocument(line, document);
                    foreach (var series in document)
                    {
                        yield return series;
                    }
                }
                pipe.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        finally
        {
            await pipe.CompleteAsync();
        }
    }

    private static bool TakeRest(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> rest)
    {
        rest = buffer;
        buffer = buffer.Slice(buffer.End);
        return true;
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    /// <summary>Parses one document, adding its series; throws <see cref="InfluxException"/> for an error in it.</summary>
    internal static void ParseDocument(ReadOnlySequence<byte> document, List<InfluxSeries> output)
    {
        var reader = new Utf8JsonReader(document);
        if (!reader.Read() || reader.TokenType == JsonTokenType.None)
        {
            return;
        }
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("results"))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.StartArray);
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    ParseResult(ref reader, output);
                }
            }
            else if (reader.ValueTextEquals("error"))
            {
                reader.Read();
                throw QueryError(reader.GetString() ?? "");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    internal static InfluxException QueryError(string message) => message.StartsWith("database not found", StringComparison.Ordinal)
        ? new InfluxException(InfluxErrorKind.DatabaseNotFound, $"InfluxDB: {message} (check Ingest:Influx:Database)")
        : new InfluxException(InfluxErrorKind.QueryFailed, $"InfluxDB refused the query: {message}");

    private static void ParseResult(ref Utf8JsonReader reader, List<InfluxSeries> output)
    {
        var statement = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("statement_id"))
            {
                reader.Read();
                statement = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("series"))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.StartArray);
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    output.Add(ParseSeries(ref reader, statement));
                }
            }
            else if (reader.ValueTextEquals("error"))
            {
                reader.Read();
                throw QueryError(reader.GetString() ?? "");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static InfluxSeries ParseSeries(ref Utf8JsonReader reader, int statement)
    {
        var name = "";
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var columns = new List<string>();
        var rows = new List<object?[]>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"))
            {
                reader.Read();
                name = reader.GetString() ?? "";
            }
            else if (reader.ValueTextEquals("tags"))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.StartObject);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = reader.GetString()!;
                    reader.Read();
                    tags[key] = reader.GetString() ?? "";
                }
            }
            else if (reader.ValueTextEquals("columns"))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.StartArray);
                while (reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    columns.Add(reader.GetString()!);
                }
            }
            else if (reader.ValueTextEquals("values"))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.StartArray);
                var timeColumn = columns.IndexOf("time");
                while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
                {
                    var row = new object?[columns.Count];
                    var cell = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        object? value = reader.TokenType switch
                        {
                            JsonTokenType.Number when cell == timeColumn && reader.TryGetInt64(out var time) => time,
                            JsonTokenType.Number => reader.GetDouble(),
                            JsonTokenType.String => reader.GetString(),
                            JsonTokenType.True => true,
                            JsonTokenType.False => false,
                            _ => null,
                        };
                        if (cell < row.Length)
                        {
                            row[cell] = value;
                        }
                        cell++;
                    }
                    rows.Add(row);
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new InfluxSeries(statement, name, tags, columns, rows);
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new InfluxException(InfluxErrorKind.QueryFailed, $"Unexpected InfluxDB response: {reader.TokenType} where {type} was expected.");
        }
    }
}
