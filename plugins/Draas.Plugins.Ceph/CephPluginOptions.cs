using Draas.Storage;
using Microsoft.Extensions.Configuration;

namespace Draas.Plugins.Ceph;

/// <summary>Tunables of the <c>rbd</c> plugin (per-cluster details come with each call in the array's reference).</summary>
public sealed record CephPluginOptions
{
    /// <summary>The <c>rbd</c> and <c>ceph</c> executables (Debian: ceph-common).</summary>
    public string RbdPath { get; init; } = "rbd";
    public string CephPath { get; init; } = "ceph";
    /// <summary>Python with librbd's binding (python3-rbd): the one operation the CLI cannot do, copying a mirror snapshot.</summary>
    public string PythonPath { get; init; } = "/usr/bin/python3";
    /// <summary>How long a monitor may take to answer before the cluster counts as unreachable.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Longest a single command may run (a drill copy of a large volume runs longer: <see cref="CopyTimeout"/>).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(2);
    public TimeSpan CopyTimeout { get; init; } = TimeSpan.FromHours(2);
    /// <summary>How often to look again while waiting for a mirror snapshot to reach the peer.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>How long a promote waits for the peer's demotion to arrive (orderly) before it gives up.</summary>
    public TimeSpan PromoteTimeout { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>Attempts of a command that found the cluster unreachable.</summary>
    public int MaxAttempts { get; init; } = 3;
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>A group is degraded when its newest recovery point is older than this many intervals.</summary>
    public double DegradedAfterIntervals { get; init; } = 2;
}

/// <summary><c>[storage:rbd]</c>, in seconds as the rest of draas.conf.</summary>
public sealed class CephSection
{
    [ConfigurationKeyName("rbd_path")] public string RbdPath { get; set; } = "rbd";
    [ConfigurationKeyName("ceph_path")] public string CephPath { get; set; } = "ceph";
    [ConfigurationKeyName("python_path")] public string PythonPath { get; set; } = "/usr/bin/python3";
    [ConfigurationKeyName("connect_timeout")] public double ConnectTimeout { get; set; } = 10;
    [ConfigurationKeyName("command_timeout")] public double CommandTimeout { get; set; } = 120;
    [ConfigurationKeyName("copy_timeout")] public double CopyTimeout { get; set; } = 7200;
    [ConfigurationKeyName("poll_interval")] public double PollInterval { get; set; } = 1;
    [ConfigurationKeyName("promote_timeout")] public double PromoteTimeout { get; set; } = 120;
    [ConfigurationKeyName("max_attempts")] public int MaxAttempts { get; set; } = 3;
    [ConfigurationKeyName("degraded_after_intervals")] public double DegradedAfterIntervals { get; set; } = 2;

    public CephPluginOptions ToOptions()
    {
        var problems = new List<string>();
        foreach (var (key, value) in new[] { ("connect_timeout", ConnectTimeout), ("command_timeout", CommandTimeout), ("copy_timeout", CopyTimeout), ("poll_interval", PollInterval), ("promote_timeout", PromoteTimeout) })
            if (value <= 0) problems.Add($"{key} must be above 0");
        if (MaxAttempts < 1) problems.Add("max_attempts must be at least 1");
        if (DegradedAfterIntervals < 1) problems.Add("degraded_after_intervals must be at least 1");
        if (string.IsNullOrWhiteSpace(RbdPath) || string.IsNullOrWhiteSpace(CephPath) || string.IsNullOrWhiteSpace(PythonPath)) problems.Add("rbd_path, ceph_path and python_path must not be empty");
        if (problems.Count > 0) throw new StorageConfigurationException($"[storage:rbd] {string.Join("; ", problems)}");
        return new CephPluginOptions
        {
            RbdPath = RbdPath,
            CephPath = CephPath,
            PythonPath = PythonPath,
            ConnectTimeout = TimeSpan.FromSeconds(ConnectTimeout),
            CommandTimeout = TimeSpan.FromSeconds(CommandTimeout),
            CopyTimeout = TimeSpan.FromSeconds(CopyTimeout),
            PollInterval = TimeSpan.FromSeconds(PollInterval),
            PromoteTimeout = TimeSpan.FromSeconds(PromoteTimeout),
            MaxAttempts = MaxAttempts,
            DegradedAfterIntervals = DegradedAfterIntervals,
        };
    }
}
