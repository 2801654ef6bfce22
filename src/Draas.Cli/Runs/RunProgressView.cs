using System.Text.Json.Nodes;
using Draas.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Draas.Cli.Runs;

/// <summary>
/// The live picture of a run for a terminal: a header, a progress bar per phase, a line per step
/// with its state and duration, and the RTO once the run is over.
/// </summary>
public static class RunProgressView
{
    const int BarWidth = 30;

    public static IRenderable Render(JsonObject run, DateTimeOffset now, double? rtoSeconds = null)
    {
        var rows = new List<IRenderable>
        {
            new Markup($"[bold]Run {Markup.Escape(Cells.String(run, "id") ?? "?")}[/]  {Markup.Escape(Cells.String(run, "kind") ?? "")}  {StateMarkup(RunStates.State(run))}"
                + $"  {Progress(run)}"),
        };
        var steps = RunStates.Steps(run);
        var phases = new Grid().AddColumn().AddColumn().AddColumn();
        foreach (var phase in steps.GroupBy(s => Cells.Number(s, "phase") ?? 0))
        {
            var total = phase.Count();
            var done = phase.Count(s => Cells.String(s, "state") is "succeeded" or "skipped");
            var failed = phase.Any(s => Cells.String(s, "state") is "failed");
            phases.AddRow(new Markup($"Phase {phase.Key}"), new Markup(Bar(done, total, failed)), new Text($"{done}/{total}"));
        }
        if (steps.Count > 0) rows.Add(phases);

        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("#").AddColumn("Phase").AddColumn("Step").AddColumn("Name").AddColumn("State").AddColumn("Tries").AddColumn("Took");
        foreach (var step in steps)
        {
            table.AddRow(
                new Text(Cells.Text(step["sequence"])), new Text(Cells.Text(step["phase"])), new Text(Cells.String(step, "kind") ?? ""),
                new Text(RunStates.Name(step)), new Markup(StateMarkup(RunStates.StepState(step))),
                new Text(Cells.Text(step["attempts"])), new Text(RunStates.Duration(RunStates.StepSeconds(step, now))));
        }
        if (steps.Count > 0) rows.Add(table);

        foreach (var step in steps.Where(s => Cells.String(s, "error") is not null))
            rows.Add(new Markup($"[red]step {Markup.Escape(Cells.Text(step["sequence"]))} {Markup.Escape(Cells.String(step, "kind") ?? "")} {Markup.Escape(RunStates.Name(step))}: {Markup.Escape(Cells.String(step, "error")!)}[/]"));
        if (Cells.String(run, "error") is { } error) rows.Add(new Markup($"[red]{Markup.Escape(error)}[/]"));
        if (RunStates.IsFinal(RunStates.State(run)))
            rows.Add(new Markup($"[bold]RTO {RunStates.Duration(rtoSeconds ?? RunStates.RunSeconds(run))}[/]"));
        return new Rows(rows);
    }

    static string Progress(JsonObject run)
    {
        var total = Cells.Number(run, "progress.total");
        var done = Cells.Number(run, "progress.done");
        var failed = Cells.Number(run, "progress.failed");
        if (total is null) return "";
        return $"{done ?? 0}/{total} steps" + (failed is > 0 ? $", [red]{failed} failed[/]" : "");
    }

    static string Bar(int done, int total, bool failed)
    {
        var filled = total == 0 ? BarWidth : (int)Math.Round(BarWidth * (double)done / total);
        var colour = failed ? "red" : done == total ? "green" : "yellow";
        return $"[{colour}]{new string('━', filled)}[/][grey]{new string('─', BarWidth - filled)}[/]";
    }

    public static string StateMarkup(string state) => state switch
    {
        "succeeded" => "[green]succeeded[/]",
        "failed" => "[red]failed[/]",
        "running" => "[yellow]running[/]",
        "cancelling" or "cancelled" => $"[orange3]{state}[/]",
        "skipped" => "[grey]skipped[/]",
        "interrupted" => "[orange3]interrupted[/]",
        _ => Markup.Escape(state),
    };
}
