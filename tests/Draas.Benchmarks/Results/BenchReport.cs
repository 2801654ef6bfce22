namespace Draas.Benchmarks.Results;

/// <summary>One number, with its unit.</summary>
public sealed record Figure(string Name, double? Value, string Unit, string? Note = null);

/// <summary>One point of the many-tenants scaling curve.</summary>
public sealed record ScalingPoint(int Tenants, int Steps, double TotalSeconds, double BoundSeconds)
{
    public double Ratio => BoundSeconds > 0 ? TotalSeconds / BoundSeconds : 0;
}

/// <summary>One benchmark's outcome: what size ran, its figures, how to read them; or why it could not run.</summary>
public sealed class Section(int id, string title)
{
    public int Id { get; } = id;
    public string Title { get; } = title;
    public string Size { get; set; } = "";
    public List<Figure> Figures { get; } = [];
    public List<string> Notes { get; } = [];
    public string? Error { get; set; }
    public double Seconds { get; set; }

    public void Add(string name, double? value, string unit, string? note = null) => Figures.Add(new Figure(name, value, unit, note));
}

/// <summary>Everything one ./tox -e bench run measured, with the model and settings it ran under.</summary>
public sealed class BenchReport
{
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;
    public double TotalSeconds { get; set; }
    public required BenchOptions Options { get; init; }
    public required LatencyModel Model { get; init; }
    public List<Section> Sections { get; } = [];
    public List<ScalingPoint> Scaling { get; } = [];
}
