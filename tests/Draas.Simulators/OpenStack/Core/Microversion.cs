namespace Draas.Simulators.OpenStack.Core;

/// <summary>An OpenStack API microversion ("3.8", "2.47") with the negotiation every service does: no
/// header means the minimum, "latest" the maximum, anything outside the range is 406.</summary>
public readonly record struct Microversion(int Major, int Minor) : IComparable<Microversion>
{
    public int CompareTo(Microversion other) => (Major, Minor).CompareTo((other.Major, other.Minor));
    public static bool operator >=(Microversion a, Microversion b) => a.CompareTo(b) >= 0;
    public static bool operator <=(Microversion a, Microversion b) => a.CompareTo(b) <= 0;
    public static bool operator >(Microversion a, Microversion b) => a.CompareTo(b) > 0;
    public static bool operator <(Microversion a, Microversion b) => a.CompareTo(b) < 0;
    public override string ToString() => $"{Major}.{Minor}";

    public static Microversion Parse(string text)
    {
        var parts = text.Split('.');
        return new Microversion(int.Parse(parts[0]), int.Parse(parts[1]));
    }

    public static bool TryParse(string text, out Microversion version)
    {
        version = default;
        var parts = text.Trim().Split('.');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var major) || !int.TryParse(parts[1], out var minor)) return false;
        version = new Microversion(major, minor);
        return true;
    }

    internal static readonly object Key = new();

    /// <summary>The request's negotiated microversion (set by <see cref="MicroversionNegotiation.WithMicroversions"/>).</summary>
    public static Microversion Of(HttpContext http) => http.Items[Key] is Microversion v ? v : new Microversion(0, 0);
}

public static class MicroversionNegotiation
{
    /// <summary>Negotiates the request's microversion from <c>OpenStack-API-Version: SERVICE X.Y</c> or the
    /// service's legacy header, sets the response headers, and stores it for <see cref="Of"/>.</summary>
    public static RouteGroupBuilder WithMicroversions(this RouteGroupBuilder group, string serviceType, string? legacyHeader,
        Microversion min, Microversion max, Func<int, string, IResult> error) =>
        group.WithMicroversions(serviceType, legacyHeader, min, () => max, error);

    /// <inheritdoc cref="WithMicroversions(RouteGroupBuilder, string, string?, Microversion, Microversion, Func{int, string, IResult})"/>
    public static RouteGroupBuilder WithMicroversions(this RouteGroupBuilder group, string serviceType, string? legacyHeader,
        Microversion min, Func<Microversion> newest, Func<int, string, IResult> error)
    {
        group.AddEndpointFilter(async (ctx, next) =>
        {
            var http = ctx.HttpContext;
            string? requested = null;
            foreach (var value in http.Request.Headers["OpenStack-API-Version"])
            {
                foreach (var item in (value ?? "").Split(','))
                {
                    var parts = item.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length == 2 && parts[0].Equals(serviceType, StringComparison.OrdinalIgnoreCase)) requested = parts[1];
                }
            }
            if (requested is null && legacyHeader is not null && http.Request.Headers[legacyHeader].ToString() is { Length: > 0 } legacy)
                requested = legacy;
            var max = newest();
            Microversion version;
            if (requested is null) version = min;
            else if (requested.Trim().Equals("latest", StringComparison.OrdinalIgnoreCase)) version = max;
            else if (!Microversion.TryParse(requested, out version))
                return error(400, $"Invalid API version {requested}");
            if (version < min || version > max)
                return error(406, $"Version {version} is not supported by the API. Minimum is {min} and maximum is {max}.");
            http.Items[Microversion.Key] = version;
            http.Response.Headers["OpenStack-API-Version"] = $"{serviceType} {version}";
            if (legacyHeader is not null) http.Response.Headers[legacyHeader] = version.ToString();
            http.Response.Headers.Append("Vary", legacyHeader is null ? "OpenStack-API-Version" : $"OpenStack-API-Version, {legacyHeader}");
            return await next(ctx);
        });
        return group;
    }

}
