using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Html;

namespace Draas.Api.WebConsole;

/// <summary>RPO compliance tiers: how far replication lag is past the tenant's RPO target.</summary>
public enum RpoTier
{
    Unknown,
    Within,
    Exceeded,
    Severe,
    Critical,
}

public static class ConsoleFormat
{
    /// <summary>The console's word for the service's one rule (<see cref="Domain.Protection.RpoRules.TierFor"/>).</summary>
    public static RpoTier Tier(double? lagSeconds, double targetSeconds) => Domain.Protection.RpoRules.TierFor(lagSeconds, targetSeconds) switch
    {
        null => RpoTier.Unknown,
        Domain.Protection.RpoTier.WithinTarget => RpoTier.Within,
        Domain.Protection.RpoTier.Exceeded => RpoTier.Exceeded,
        Domain.Protection.RpoTier.SeverelyExceeded => RpoTier.Severe,
        _ => RpoTier.Critical,
    };

    public static string Label(RpoTier tier) => tier switch
    {
        RpoTier.Within => "within target",
        RpoTier.Exceeded => "exceeded (up to 2x)",
        RpoTier.Severe => "severely exceeded (up to 4x)",
        RpoTier.Critical => "critical (beyond 4x)",
        _ => "no recovery point yet",
    };

    public static string Css(RpoTier tier) => "tier-" + tier.ToString().ToLowerInvariant();

    /// <summary>A duration as people say it: 42 s, 3 min 5 s, 2 h 10 min, 3 d 4 h.</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s || double.IsNaN(s)) return "–";
        var t = TimeSpan.FromSeconds(Math.Max(0, s));
        if (t.TotalSeconds < 60) return t.TotalSeconds < 10 ? $"{t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s" : $"{(int)t.TotalSeconds} s";
        if (t.TotalMinutes < 60) return t.Seconds == 0 ? $"{(int)t.TotalMinutes} min" : $"{(int)t.TotalMinutes} min {t.Seconds} s";
        if (t.TotalHours < 24) return t.Minutes == 0 ? $"{(int)t.TotalHours} h" : $"{(int)t.TotalHours} h {t.Minutes} min";
        return t.Hours == 0 ? $"{(int)t.TotalDays} d" : $"{(int)t.TotalDays} d {t.Hours} h";
    }

    public static string Age(DateTimeOffset? at, DateTimeOffset now) => at is { } a ? Duration((now - a).TotalSeconds) + " ago" : "never";

    public static string Time(DateTimeOffset? at) => at is { } a ? a.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "–";

    public static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();

    public static double? Num(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    public static DateTimeOffset? At(JsonNode? node) => node is JsonValue v && v.TryGetValue<DateTimeOffset>(out var t) ? t : null;

    /// <summary>
    /// A small line chart as inline SVG (no script, no library, nothing fetched): the points in order,
    /// a dashed reference line when given, the axis range written out. The caller puts the same
    /// figures in a table beside it for screen readers.
    /// </summary>
    /// <param name="positions">Where each point sits along the x axis, 0..1 (a time series drawn to scale: a gap of hours
    /// looks like one); null spaces the points evenly (a sequence such as the last drills).</param>
    /// <param name="axis">The labels of the x axis' two ends when the points are placed by <paramref name="positions"/>.</param>
    public static IHtmlContent LineChart(string title, IReadOnlyList<(string Label, double Value)> points, Func<double, string> format, double? reference = null, string? referenceLabel = null,
        IReadOnlyList<double>? positions = null, (string Start, string End)? axis = null)
    {
        const int W = 560, H = 180, L = 84, R = 12, T = 14, B = 30;
        var sb = new StringBuilder();
        var t = WebUtility.HtmlEncode(title);
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{t}\" preserveAspectRatio=\"xMidYMid meet\"><title>{t}</title>");
        if (points.Count == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{W / 2}\" y=\"{H / 2}\" text-anchor=\"middle\" class=\"muted\">no data yet</text></svg>");
            return new HtmlString(sb.ToString());
        }
        var max = Math.Max(points.Max(p => p.Value), reference ?? 0);
        if (max <= 0) max = 1;
        max *= 1.15;
        double X(int i) => positions is not null ? L + Math.Clamp(positions[i], 0, 1) * (W - L - R)
            : points.Count == 1 ? L + (W - L - R) / 2.0 : L + i * (W - L - R) / (double)(points.Count - 1);
        double Y(double v) => T + (H - T - B) * (1 - v / max);
        string F(double d) => d.ToString("0.#", CultureInfo.InvariantCulture);
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{L}\" y1=\"{H - B}\" x2=\"{W - R}\" y2=\"{H - B}\" class=\"axis\"/><line x1=\"{L}\" y1=\"{T}\" x2=\"{L}\" y2=\"{H - B}\" class=\"axis\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{L - 6}\" y=\"{F(Y(max / 1.15))}\" text-anchor=\"end\" class=\"tick\">{WebUtility.HtmlEncode(format(max / 1.15))}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{L - 6}\" y=\"{H - B}\" text-anchor=\"end\" class=\"tick\">0</text>");
        if (reference is { } r)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{L}\" y1=\"{F(Y(r))}\" x2=\"{W - R}\" y2=\"{F(Y(r))}\" class=\"reference\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{W - R}\" y=\"{F(Y(r) - 4)}\" text-anchor=\"end\" class=\"tick\">{WebUtility.HtmlEncode(referenceLabel ?? format(r))}</text>");
        }
        sb.Append("<polyline class=\"line\" points=\"");
        for (var i = 0; i < points.Count; i++) sb.Append(CultureInfo.InvariantCulture, $"{F(X(i))},{F(Y(points[i].Value))} ");
        sb.Append("\"/>");
        for (var i = 0; i < points.Count; i++)
            sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(i))}\" cy=\"{F(Y(points[i].Value))}\" r=\"4\" class=\"dot\"><title>{WebUtility.HtmlEncode(points[i].Label)}: {WebUtility.HtmlEncode(format(points[i].Value))}</title></circle>");
        var (start, end) = axis ?? (points[0].Label, points.Count > 1 ? points[^1].Label : "");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{L}\" y=\"{H - 8}\" class=\"tick\">{WebUtility.HtmlEncode(start)}</text>");
        if (end.Length > 0) sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{W - R}\" y=\"{H - 8}\" text-anchor=\"end\" class=\"tick\">{WebUtility.HtmlEncode(end)}</text>");
        sb.Append("</svg>");
        return new HtmlString(sb.ToString());
    }
}
