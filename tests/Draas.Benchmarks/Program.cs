using System.Diagnostics;
using Draas.Benchmarks;
using Draas.Benchmarks.Benchmarks;
using Draas.Benchmarks.Harness;
using Draas.Benchmarks.Results;

// draas-bench: runs the benchmarks of issues #8 and #18 and writes bench/results/{results.json,results.md,scaling.svg}.
// A benchmark that cannot finish is reported as such; only a crash of the harness itself exits non-zero.
var options = BenchOptions.FromEnvironment();
var model = new LatencyModel();
var report = new BenchReport { Options = options, Model = model };
var total = Stopwatch.StartNew();
Directory.CreateDirectory(options.WorkDir);
Directory.CreateDirectory(options.ResultsDir);

Section Section(int id, string title)
{
    var s = new Section(id, title);
    report.Sections.Add(s);
    return s;
}

async Task Guard(Section s, Func<Task> body)
{
    if (!options.Only.Contains(s.Id)) { report.Sections.Remove(s); return; }
    Console.Error.WriteLine($"[bench] {s.Id}. {s.Title} ...");
    var clock = Stopwatch.StartNew();
    try { await body(); }
    catch (Exception e)
    {
        s.Error = $"{e.GetType().Name}: {e.Message}";
        Console.Error.WriteLine($"[bench] {s.Id} did not complete: {e}");
    }
    s.Seconds = clock.Elapsed.TotalSeconds;
    Console.Error.WriteLine($"[bench] {s.Id} took {s.Seconds:0} s");
}

var rto = Section(1, "RTO of one tenant's failover");
var dispatch = Section(6, "Hangfire dispatch");
var overhead = Section(3, "Orchestration overhead per step");
var many = Section(2, "Many tenants failing over at once");
var capture = Section(4, "Manifest capture");
var reads = Section(5, "API read latency and peak RSS");
var split = Section(7, "The wave with API and workers in separate processes");

await Guard(dispatch, () => HangfireDispatch.RunAsync(options, dispatch));

if (options.Only.Overlaps([1, 2, 3, 7]))
{
    await using var bench = await BenchLab.StartAsync(options, model, "runs");
    var measured = new List<(string, int, Cost)>();
    var idle = await Cost.IdleRateAsync(bench, TimeSpan.FromSeconds(20));
    await Guard(rto, async () =>
    {
        var outcome = await SingleTenantRto.RunAsync(bench, options, model, rto, idle);
        measured.Add(($"benchmark 1 ({options.RtoServers} servers)", outcome.Steps, outcome.Cost));
    });
    // The reads during the wave are benchmark 5's first figure; its section stays even if 4 and 5 do not run.
    if (options.Only.Contains(2) && !options.Only.Contains(5)) reads.Size = "reads during benchmark 2's biggest wave";
    await Guard(many, async () =>
    {
        foreach (var wave in await ManyTenants.RunAsync(bench, options, model, many, reads, report, idle))
            measured.Add(($"benchmark 2 ({wave.Tenants} tenants)", wave.Steps, wave.Cost));
    });
    await Guard(overhead, () =>
    {
        OrchestrationOverhead.Report(overhead, idle, measured);
        return Task.CompletedTask;
    });
    // Last on this lab: it replaces the service process by an API process and worker processes.
    await Guard(split, () => SplitWorkers.RunAsync(bench, options, model, split, idle));
}

if (options.Only.Overlaps([4, 5]))
{
    await using var bench = await BenchLab.StartAsync(options, model, "capture");
    BenchTenant? big = null;
    await Guard(capture, async () => big = await ManifestCapture.RunAsync(bench, options, model, capture));
    await Guard(reads, () => big is null ? throw new InvalidOperationException("needs benchmark 4's tenant") : ApiReads.RunAsync(bench, options, big, reads));
}

report.Sections.RemoveAll(s => s.Figures.Count == 0 && s.Error is null);
report.TotalSeconds = total.Elapsed.TotalSeconds;
// The results name the settings as the environment variables that set them (DRAAS__JOBS__WORKERS=...).
var serviceSettings = BenchLab.Overrides.ToDictionary(o => Draas.Testing.ServiceProcess.Variable(o.Key), o => o.Value);
var json = ResultsWriter.Json(report, serviceSettings);
var markdown = ResultsWriter.Markdown(report, serviceSettings);
await File.WriteAllTextAsync(Path.Combine(options.ResultsDir, "results.json"), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
await File.WriteAllTextAsync(Path.Combine(options.ResultsDir, "results.md"), markdown);
await File.WriteAllTextAsync(Path.Combine(options.ResultsDir, "scaling.svg"),
    ScalingSvg.Draw(report.Scaling, $"tenants of {options.WaveServers} servers and {options.VolumesPerTenant} volumes failing over at once"));
await ReadmeTargets.UpdateAsync(options, report);
Console.WriteLine(markdown);
Console.Error.WriteLine($"[bench] results in {options.ResultsDir}; {report.TotalSeconds:0} s in all");
return 0;
