using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Draas.Data;

/// <summary>Stores an enum as its snake_case name, the same word the API uses.</summary>
public sealed class SnakeCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    v => ToWire(v),
    v => FromWire(v))
    where TEnum : struct, Enum
{
    private static readonly Dictionary<string, TEnum> ByWire =
        Enum.GetValues<TEnum>().ToDictionary(v => ToWire(v), v => v);

    private static string ToWire(TEnum value) => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static TEnum FromWire(string value) => ByWire[value];
}
