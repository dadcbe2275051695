using System.Text.Json;
using System.Text.Json.Serialization;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Dashboard.Apis;

/// <summary>Writes a <see cref="SeriesKey"/> as its canonical text (<c>cpu,host=a#usage</c>) and reads it back.</summary>
internal sealed class SeriesKeyJsonConverter : JsonConverter<SeriesKey>
{
    public override SeriesKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SeriesKey.TryParse(reader.GetString(), out var key) && key is not null ? key : throw new JsonException("Not a series key.");

    public override void Write(Utf8JsonWriter writer, SeriesKey value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
