using System.Text.Json;
using System.Text.Json.Serialization;

namespace Draas.Api.Http;

/// <summary>
/// Enums on the wire are their snake_case word, exactly: <c>"drill"</c>, never <c>"Drill"</c>, <c>" drill "</c>
/// or <c>"0"</c>. The framework's converter forgives case and spaces, so a request could store or match a
/// value as sent that no later comparison recognises; one exact rule leaves nothing to normalise.
/// </summary>
public sealed class ExactEnumConverter : JsonConverterFactory
{
    public const string Problem = "must be one of";

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Exact<>).MakeGenericType(typeToConvert))!;

    private sealed class Exact<T> : JsonConverter<T> where T : struct, Enum
    {
        private static readonly Dictionary<string, T> Words = Enum.GetValues<T>().ToDictionary(v => Word(v), v => v, StringComparer.Ordinal);

        private static string Word(T value) => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && Words.TryGetValue(reader.GetString()!, out var value)) return value;
            throw new JsonException($"{Problem}: {string.Join(", ", Words.Keys)}");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(Word(value));
    }
}
