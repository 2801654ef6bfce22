namespace Draas.Domain.Protection;

/// <summary>A protected workload inside a tenant: what to replicate and how to bring it back.</summary>
public sealed class Plan : IEntity
{
    public Guid Id { get; set; }
    public Guid ProtectionId { get; set; }

    /// <summary>The primary project that owns the plan, copied from the protection for tenant scoping.</summary>
    public required string ProjectId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public ReplicationMode ReplicationMode { get; set; } = ReplicationMode.Async;
    public int ReplicationIntervalSeconds { get; set; } = 300;
    public int RetentionCount { get; set; } = 24;

    /// <summary>A dynamic member selector (JSON), e.g. volumes with metadata draas:protect=true.</summary>
    public string? Selector { get; set; }

    /// <summary>Health checks per server (JSON).</summary>
    public string? HealthChecks { get; set; }

    /// <summary>How every run of the plan rebuilds the tenant unless the run says otherwise (JSON, run options'
    /// words): <c>az_mapping</c>, <c>floating_ips</c>, <c>keep_fixed_ips</c>, <c>drill_network</c>.</summary>
    public string? RecoveryOptions { get; set; }

    /// <summary>The workload's data canary (JSON): <c>{"server": "web", "port": 80, "path": "/canary"}</c>, an HTTP
    /// endpoint where a drill or planned migration writes a token on the primary and reads it back on the recovered
    /// server, so the run proves the data arrived rather than infers it from the arrays' snapshots.</summary>
    public string? Canary { get; set; }

    /// <summary>Pre/post webhooks (JSON).</summary>
    public string? Hooks { get; set; }
    public PlanStatus Status { get; set; } = PlanStatus.Pending;

    /// <summary>The site the plan's workload runs at now: the protection's primary until a failover or
    /// planned migration moves it. Read it through <see cref="PlanPlacement"/>, which knows the other side.</summary>
    public Guid RunsAtSiteId { get; set; }

    /// <summary>The project the workload runs in at <see cref="RunsAtSiteId"/>.</summary>
    public string RunsInProjectId { get; set; } = "";

    /// <summary>Recovered at the other site and not replicating until a reprotect turns its replication round.</summary>
    public bool FailedOver { get; set; }

    /// <summary>The run that last moved the plan (failover, planned migration, reprotect, failback): a retried
    /// step that finds its own run here knows the move is done.</summary>
    public Guid? StateRunId { get; set; }
    public List<PlanResource> Resources { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }
}

public enum ReplicationMode
{
    /// <summary>Scheduled snapshots shipped to the recovery array (Pure: protection group).</summary>
    Async,
    /// <summary>Every write lands on both arrays, nothing to lose (Pure: ActiveCluster pod).</summary>
    Sync,
    /// <summary>Writes stream to the recovery array seconds behind (Pure: ActiveDR pod replica link).</summary>
    Continuous,
}

public enum PlanStatus
{
    Pending,
    Protected,
    AtRisk,
    Violated,
    Error,
}

/// <summary>One explicit member of a plan: a server, a volume or an image, by its OpenStack id.</summary>
public sealed class PlanResource
{
    public Guid Id { get; set; }
    public Guid PlanId { get; set; }
    public ResourceKind Kind { get; set; }
    public required string ResourceId { get; set; }
    public string? Name { get; set; }

    /// <summary>Boot order: group 1 is ACTIVE before group 2 starts.</summary>
    public int PriorityGroup { get; set; } = 1;
}

public enum ResourceKind
{
    Server,
    Volume,
    Image,
}
