using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;
using YamlDotNet.Serialization;

namespace Draas.Cli.Output;

/// <summary>Writes what a command shows in the chosen format: a list, one item, or a line of text.</summary>
public sealed class Formatter(CliHost host, OutputFormat format)
{
    public OutputFormat Format { get; } = format;

    public CliHost Host { get; } = host;

    public bool IsTable => Format == OutputFormat.Table;

    public static JsonSerializerOptions JsonOptions(bool indented) => new()
    {
        WriteIndented = indented,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Tables are laid out for this many columns when stdout is not a terminal (COLUMNS overrides).</summary>
    public const int DefaultWidth = 120;

    /// <summary>A console over the host's stdout: colours and live views only on a terminal; elsewhere <see cref="DefaultWidth"/> wide.</summary>
    public IAnsiConsole Console()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = Host.Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Host.Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Host.Interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(Host.Out),
        });
        if (!Host.Interactive) console.Profile.Width = int.TryParse(Host.Var("COLUMNS"), out var columns) && columns > 40 ? columns : DefaultWidth;
        return console;
    }

    /// <summary>A collection: a table with the given columns, or the items as a JSON/YAML list.</summary>
    public void List(JsonArray items, params Column[] columns)
    {
        if (!IsTable)
        {
            Data(items);
            return;
        }
        var rows = items.Select(item => columns.Select(c => c.Cell(item)).ToArray()).ToList();
        Write([.. columns.Select(c => (c.Header, c.Wrap))], rows);
    }

    /// <summary>
    /// A table laid out for the console's width. Tables are designed to fit it; one that cannot (a --long view,
    /// long URLs) is never cut: on a terminal its cells wrap, and elsewhere (a pipe, a file: no width) it is
    /// written as wide as it needs.
    /// </summary>
    void Write((string Header, bool Wrap)[] columns, List<string[]> rows)
    {
        var console = Console();
        var natural = columns.Select((c, i) => rows.Select(r => r[i].Split('\n').Max(l => l.Length)).Append(c.Header.Length).Max()).Sum() + 3 * columns.Length + 1;
        var fits = natural <= console.Profile.Width;
        if (!fits && !Host.Interactive) console.Profile.Width = natural;
        var table = NewTable();
        foreach (var (header, wrap) in columns) table.AddColumn(new TableColumn(header) { NoWrap = !wrap && (fits || !Host.Interactive) });
        foreach (var row in rows) table.AddRow(row.Select(cell => (IRenderable)new Text(cell)).ToArray());
        console.Write(table);
    }

    /// <summary>One resource: a Field/Value table, or the object as JSON/YAML.</summary>
    public void Show(JsonObject item)
    {
        if (!IsTable)
        {
            Data(item);
            return;
        }
        Write([("Field", false), ("Value", true)], [.. item.Select(kv => new[] { kv.Key, Cells.Text(kv.Value) })]);
    }

    /// <summary>Any JSON value in the machine formats (JSON or YAML); as indented JSON for a table.</summary>
    public void Data(JsonNode? node)
    {
        if (Format == OutputFormat.Yaml)
            Host.Out.Write(new SerializerBuilder().Build().Serialize(ToPlain(node)));
        else
            Host.Out.WriteLine(node?.ToJsonString(JsonOptions(indented: true)) ?? "null");
    }

    /// <summary>A sentence for people (table format), or <paramref name="data"/> for scripts.</summary>
    public void Done(string sentence, JsonNode? data)
    {
        if (IsTable) Host.Out.WriteLine(sentence);
        else Data(data);
    }

    Table NewTable() => new Table().Border(Host.Interactive ? TableBorder.Rounded : TableBorder.Ascii);

    static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(kv => kv.Key, kv => ToPlain(kv.Value)),
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when v.TryGetValue<long>(out var l) => l,
            JsonValueKind.Number => v.GetValue<double>(),
            _ => null,
        },
        _ => null,
    };
}
