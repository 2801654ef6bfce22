using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Draas.OpenStack.Core;

/// <summary>
/// The JSON settings of every OpenStack call: snake_case names through the naming policy (so only
/// irregular wire names need [JsonPropertyName]), nulls left out of request bodies so an unset
/// option never overrides a service default, and dictionary keys (metadata, extra specs) untouched.
/// </summary>
public static class OpenStackJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
        };
        options.Converters.Add(new UtcDateTimeOffsetConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>
    /// OpenStack writes times with and without a zone ("2015-09-17T03:35:03.000000",
    /// "…Z", "…+00:00"); a time without a zone is UTC, never the machine's local time.
    /// </summary>
    sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
                return value;
            throw new JsonException($"'{text}' is not a date and time");
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
    }
}
