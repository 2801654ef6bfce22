using System.Text.Json.Nodes;

namespace Draas.Cli.Output;

/// <summary>One column of a list table: its header and how to read the cell from an item.</summary>
public sealed record Column(string Header, Func<JsonNode?, string> Cell)
{
    /// <summary>A column showing the field at a dotted path, e.g. <c>replication.mode</c>.</summary>
    public static Column Of(string header, string path) => new(header, item => Cells.Text(Cells.At(item, path)));
}
