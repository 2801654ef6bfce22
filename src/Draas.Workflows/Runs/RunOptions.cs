using System.Text.Json.Nodes;

namespace Draas.Workflows.Runs;

/// <summary>
/// What a caller may tune per run (<c>"options": {...}</c>). Unknown keys are refused at the API so a typo
/// never silently changes a recovery.
/// </summary>
public sealed record RunOptions
{
    public static readonly string[] Known =
    [
        "max_parallel", "recovery_timeout", "stop_primary", "keep_fixed_ips", "ignore_primary_failures",
        "validation_retries", "network_mapping", "replicate_timeout", "fence_primary", "drill_network", "floating_ips", "az_mapping",
        "commit", "commit_timeout", "auto_action",
    ];

    /// <summary>Steps of this run that may execute at once (seed 004's max_parallel_recoveries). Off (null) by
    /// default: what bounds a run is what its clouds allow (the site's and arrays' limits), not a fixed number.</summary>
    public int? MaxParallel { get; init; }

    /// <summary>The whole run's deadline in seconds; past it no new step starts and the run fails.</summary>
    public int RecoveryTimeout { get; init; } = 1800;

    /// <summary>Planned migration: shut the primary's servers down before the last sync.</summary>
    public bool StopPrimary { get; init; } = true;

    /// <summary>Keep the servers' original fixed IPs where the recovery subnet holds them and they are free
    /// (a port that cannot keep its address gets a new one, and its step says so). False: always new ones.</summary>
    public bool KeepFixedIps { get; init; } = true;

    /// <summary>Drill only: <c>isolated</c> (default) copies the tenant's networks into the drill project with no
    /// way out (a bubble); <c>mapped</c> boots the drill on the mapped recovery networks, next to production.</summary>
    public bool DrillOnMappedNetworks { get; init; }

    /// <summary>Give the recovered servers floating IPs again, from the external network the primary's is mapped to.</summary>
    public bool FloatingIps { get; init; }

    /// <summary>Primary availability zone → recovery zone; a zone not named here keeps its name if the recovery site has it.</summary>
    public Dictionary<string, string>? AzMapping { get; init; }

    /// <summary>Failover: go on when the primary site does not answer (it may be gone).</summary>
    public bool IgnorePrimaryFailures { get; init; } = true;

    /// <summary>Health-check attempts per server before the check fails.</summary>
    public int ValidationRetries { get; init; } = 5;

    /// <summary>Overrides the protection's network mapping for this run (a drill on an isolated network).</summary>
    public Dictionary<string, string>? NetworkMapping { get; init; }

    /// <summary>Planned migration: how long the last replication may take, in seconds.</summary>
    public int ReplicateTimeout { get; init; } = 900;

    /// <summary>Failover: when the primary still answers, stop its servers of the plan (and demote the
    /// replication source where the plugin can) before the recovered servers boot, so two sites never
    /// write at once. <c>false</c> is the explicit opt-out.</summary>
    public bool FencePrimary { get; init; } = true;

    /// <summary>Failover and planned migration: <c>manual</c> ends the run <c>awaiting_commit</c> with the tenant
    /// running at the recovery site, until a person commits or rolls it back; <c>auto</c> (default) commits at once.</summary>
    public bool ManualCommit { get; init; }

    /// <summary>With manual commit: seconds after the run reached <c>awaiting_commit</c> when <see cref="AutoAction"/>
    /// is taken for the person who did not decide.</summary>
    public int? CommitTimeout { get; init; }

    /// <summary><c>commit</c> or <c>rollback</c>, taken when <see cref="CommitTimeout"/> passes.</summary>
    public string? AutoAction { get; init; }

    public static RunOptions Parse(string? json)
    {
        var o = RunJson.Object(json);
        return new RunOptions
        {
            MaxParallel = Int(o, "max_parallel"),
            RecoveryTimeout = Int(o, "recovery_timeout") ?? 1800,
            StopPrimary = Bool(o, "stop_primary") ?? true,
            KeepFixedIps = Bool(o, "keep_fixed_ips") ?? true,
            DrillOnMappedNetworks = o["drill_network"]?.ToString() == "mapped",
            FloatingIps = Bool(o, "floating_ips") ?? false,
            AzMapping = o["az_mapping"] is JsonObject az ? az.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "") : null,
            IgnorePrimaryFailures = Bool(o, "ignore_primary_failures") ?? true,
            ValidationRetries = Int(o, "validation_retries") ?? 5,
            NetworkMapping = o["network_mapping"] is JsonObject map ? map.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "") : null,
            ReplicateTimeout = Int(o, "replicate_timeout") ?? 900,
            FencePrimary = Bool(o, "fence_primary") ?? true,
            ManualCommit = o["commit"]?.ToString() == "manual",
            CommitTimeout = Int(o, "commit_timeout"),
            AutoAction = o["auto_action"]?.ToString(),
        };
    }

    /// <summary>Every problem with the options a caller sent, in plain words.</summary>
    public static IReadOnlyList<string> Validate(JsonObject? options)
    {
        if (options is null) return [];
        var problems = options.Where(p => !Known.Contains(p.Key))
            .Select(p => $"unknown option '{p.Key}' (known: {string.Join(", ", Known)})").ToList();
        problems.AddRange(ValueProblems(options));
        return problems;
    }

    /// <summary>What is wrong with the values of the options present, whatever keys the caller may send.</summary>
    private static List<string> ValueProblems(JsonObject options)
    {
        var problems = new List<string>();
        void Range(string key, int min, int max)
        {
            if (options[key] is null) return;
            if (options[key] is not JsonValue v || !v.TryGetValue<int>(out var n) || n < min || n > max)
                problems.Add($"option '{key}' must be an integer from {min} to {max}");
        }
        void Flag(string key)
        {
            if (options[key] is not null && (options[key] is not JsonValue v || !v.TryGetValue<bool>(out _)))
                problems.Add($"option '{key}' must be true or false");
        }
        Range("max_parallel", 1, 64);
        Range("recovery_timeout", 60, 86400);
        Range("validation_retries", 1, 100);
        Range("replicate_timeout", 10, 86400);
        Flag("stop_primary");
        Flag("keep_fixed_ips");
        Flag("ignore_primary_failures");
        Flag("fence_primary");
        Flag("floating_ips");
        if (options["drill_network"] is { } dn && (dn is not JsonValue dv || !dv.TryGetValue<string>(out var word) || word is not ("isolated" or "mapped")))
            problems.Add("option 'drill_network' must be 'isolated' or 'mapped'");
        if (options["az_mapping"] is { } az && (az is not JsonObject ao || ao.Any(p => p.Value is not JsonValue pv || !pv.TryGetValue<string>(out var zone) || zone.Length is 0 or > 255)))
            problems.Add("option 'az_mapping' must map availability zone names to recovery zone names");
        if (options["commit"] is { } cm && (cm is not JsonValue cv || !cv.TryGetValue<string>(out var commit) || commit is not ("manual" or "auto")))
            problems.Add("option 'commit' must be 'manual' or 'auto'");
        Range("commit_timeout", 10, 604800);
        if (options["auto_action"] is { } aa && (aa is not JsonValue av || !av.TryGetValue<string>(out var action) || action is not ("commit" or "rollback")))
            problems.Add("option 'auto_action' must be 'commit' or 'rollback'");
        var manual = options["commit"]?.ToString() == "manual";
        if ((options["commit_timeout"] is not null || options["auto_action"] is not null) && !manual)
            problems.Add("options 'commit_timeout' and 'auto_action' need 'commit': 'manual' (an automatic commit has nothing to wait for)");
        else if ((options["commit_timeout"] is null) != (options["auto_action"] is null))
            problems.Add("options 'commit_timeout' and 'auto_action' go together: what happens, and after how long");
        if (options["network_mapping"] is { } m && (m is not JsonObject mo || mo.Any(p => p.Value is not JsonValue pv || !pv.TryGetValue<string>(out _))))
            problems.Add("option 'network_mapping' must map network names or ids to recovery network names or ids");
        return problems;
    }

    /// <summary>The options a plan may hold as the default of its every run (<c>plan.recovery_options</c>): how the
    /// tenant is rebuilt, not how one run is paced.</summary>
    public static readonly string[] PlanDefaults = ["az_mapping", "floating_ips", "keep_fixed_ips", "drill_network"];

    /// <summary>Every problem with a plan's <c>recovery_options</c>, in plain words.</summary>
    public static IReadOnlyList<string> ValidatePlanDefaults(JsonObject options)
    {
        var problems = options.Where(p => !PlanDefaults.Contains(p.Key))
            .Select(p => $"'{p.Key}' is not a plan default (a plan holds {string.Join(", ", PlanDefaults)}; the rest are per run)").ToList();
        problems.AddRange(ValueProblems(options));
        return problems;
    }

    /// <summary>The options a run goes by: the plan's defaults, each overridden by the run's own of the same name.</summary>
    public static JsonObject? Effective(string? planDefaults, JsonObject? run)
    {
        if (planDefaults is null) return run;
        var merged = RunJson.Object(planDefaults);
        foreach (var (key, value) in run ?? []) merged[key] = value?.DeepClone();
        return merged;
    }

    private static int? Int(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;

    private static bool? Bool(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;
}
