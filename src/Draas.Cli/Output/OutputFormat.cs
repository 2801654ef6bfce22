namespace Draas.Cli.Output;

/// <summary><c>-f table|json|yaml</c>: tables for people, JSON and YAML for scripts.</summary>
public enum OutputFormat
{
    Table,
    Json,
    Yaml,
}
