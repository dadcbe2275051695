using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaAnomaly.Dashboard.Apis;

/// <summary>
/// Doubles in the JSON API: NaN and the infinities (a gap, a scale not yet known) are written as <c>null</c>, so every
/// number field is a JSON number or null, never the string "NaN"; null reads back as NaN.
/// </summary>
public sealed class NonFiniteAsNullConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
