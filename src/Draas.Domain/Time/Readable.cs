using System.Globalization;

namespace Draas.Domain.Time;

/// <summary>Times and durations as people read them, the same in every report, table and watch line.</summary>
public static class Readable
{
    /// <summary><c>0.4 s</c>, <c>2.1 s</c>, <c>42 s</c>, <c>4 min</c>, <c>4 min 10 s</c>, <c>2 h 05 min</c>; empty when unknown.</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s) return "";
        if (s < 0) return "-" + Duration(-s);
        if (s == 0) return "0 s";
        if (s < 10) return s.ToString("0.0", CultureInfo.InvariantCulture) + " s";
        if (s < 60) return s.ToString("0", CultureInfo.InvariantCulture) + " s";
        var t = TimeSpan.FromSeconds(Math.Round(s));
        if (t.TotalHours >= 1)
            return t.Minutes == 0 ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours} h") : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours} h {t.Minutes:00} min");
        return t.Seconds == 0 ? string.Create(CultureInfo.InvariantCulture, $"{t.Minutes} min") : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes} min {t.Seconds} s");
    }

    /// <summary>One format for every time shown to people: UTC to the second, <c>2026-12-04 13:22:33Z</c>.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary><see cref="Time(DateTimeOffset)"/> for an ISO 8601 text (as in the API's JSON); other text as it is.</summary>
    public static string Time(string text) =>
        text.Length >= 19 && text[4] == '-' && text[10] == 'T'
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? Time(t) : text;
}
