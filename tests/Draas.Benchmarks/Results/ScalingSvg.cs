using System.Globalization;
using System.Text;

namespace Draas.Benchmarks.Results;

/// <summary>The scaling curve as a hand-drawn SVG: measured total and bound (seconds) against tenants.</summary>
public static class ScalingSvg
{
    public static string Draw(IReadOnlyList<ScalingPoint> points, string title)
    {
        const int W = 640, H = 400, L = 70, R = 20, T = 40, B = 60;
        var svg = new StringBuilder();
        string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        svg.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<rect width=\"{W}\" height=\"{H}\" fill=\"white\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{W / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{System.Security.SecurityElement.Escape(title)}</text>");
        if (points.Count == 0)
        {
            svg.AppendLine("<text x=\"320\" y=\"200\" text-anchor=\"middle\">no scaling data (benchmark 2 did not run)</text></svg>");
            return svg.ToString();
        }
        var maxX = points.Max(p => p.Tenants);
        var maxY = Math.Max(1, points.Max(p => Math.Max(p.TotalSeconds, p.BoundSeconds))) * 1.1;
        double X(double t) => L + t / maxX * (W - L - R);
        double Y(double s) => H - B - s / maxY * (H - T - B);
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{L}\" y1=\"{H - B}\" x2=\"{W - R}\" y2=\"{H - B}\" stroke=\"black\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{L}\" y1=\"{T}\" x2=\"{L}\" y2=\"{H - B}\" stroke=\"black\"/>");
        for (var i = 0; i <= 5; i++)
        {
            var v = maxY * i / 5;
            svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{L - 4}\" y1=\"{N(Y(v))}\" x2=\"{W - R}\" y2=\"{N(Y(v))}\" stroke=\"#ddd\"/><text x=\"{L - 8}\" y=\"{N(Y(v) + 4)}\" text-anchor=\"end\">{N(v)}</text>");
        }
        foreach (var p in points)
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{N(X(p.Tenants))}\" y=\"{H - B + 18}\" text-anchor=\"middle\">{p.Tenants}</text>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{(L + W - R) / 2}\" y=\"{H - 18}\" text-anchor=\"middle\">tenants failing over at once</text>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"18\" y=\"{(T + H - B) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 18 {(T + H - B) / 2})\">seconds</text>");
        void Line(Func<ScalingPoint, double> y, string colour, string label, int row, bool dashed)
        {
            var path = string.Join(" ", points.Select((p, i) => $"{(i == 0 ? "M" : "L")}{N(X(p.Tenants))},{N(Y(y(p)))}"));
            svg.AppendLine(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")}/>");
            foreach (var p in points)
                svg.AppendLine(CultureInfo.InvariantCulture, $"<circle cx=\"{N(X(p.Tenants))}\" cy=\"{N(Y(y(p)))}\" r=\"3\" fill=\"{colour}\"><title>{p.Tenants} tenants: {N(y(p))} s</title></circle>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{L + 12}\" y1=\"{T + 8 + row * 16}\" x2=\"{L + 36}\" y2=\"{T + 8 + row * 16}\" stroke=\"{colour}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")}/><text x=\"{L + 42}\" y=\"{T + 12 + row * 16}\">{label}</text>");
        }
        Line(p => p.TotalSeconds, "#c0392b", "measured: first request to last run finished", 0, false);
        Line(p => p.BoundSeconds, "#2c3e50", "cloud bound: the wave's critical path and the clouds' limits", 1, true);
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
