using System.Text.Json.Nodes;

namespace Draas.Cli.Output;

/// <summary>One column of a list table: its header and how to read the cell from an item. Only a <paramref name="Wrap"/>
/// column (free text: errors, messages) breaks its lines to fit the width; ids, names and times are never cut.</summary>
public sealed record Column(string Header, Func<JsonNode?, string> Cell, bool Wrap = false)
{
    /// <summary>A free-text column that wraps to keep the table within the width.</summary>
    public static Column Text(string header, string path) => new(header, item => Cells.Text(Cells.At(item, path)), Wrap: true);

    /// <summary>A column showing the field at a dotted path, e.g. <c>replication.mode</c>.</summary>
    public static Column Of(string header, string path) => new(header, item => Cells.Text(Cells.At(item, path)));
}
