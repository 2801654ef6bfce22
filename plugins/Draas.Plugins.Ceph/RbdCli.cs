using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Draas.Storage;
using Microsoft.Extensions.Logging;

namespace Draas.Plugins.Ceph;

/// <summary>
/// Runs the Ceph command line tools against one cluster named by its reference (never /etc/ceph): monitors
/// with <c>-m</c>, the cephx key from a private key file, JSON out. A failure becomes an
/// <see cref="ArrayException"/> of the errno the tool printed; an unreachable cluster is tried again, boundedly.
/// </summary>
internal sealed partial class RbdCli : IDisposable
{
    private readonly CephPluginOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lazy<DirectoryInfo> _keyDir = new(() => Directory.CreateTempSubdirectory("draas-ceph-"));
    private readonly ConcurrentDictionary<string, string> _keyFiles = new();

    public RbdCli(CephPluginOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
    }

    public Task<string> RbdAsync(CephCluster cluster, IEnumerable<string> args, CancellationToken ct, TimeSpan? timeout = null) =>
        RunAsync(_options.RbdPath, cluster, args, ct, timeout);

    public async Task<T> RbdJsonAsync<T>(CephCluster cluster, IEnumerable<string> args, CancellationToken ct)
    {
        var text = await RbdAsync(cluster, [.. args, "--format", "json"], ct).ConfigureAwait(false);
        try
        {
            // rbd prints nothing at all for an empty answer (image-meta list of an image without metadata).
            if (string.IsNullOrWhiteSpace(text))
                text = typeof(System.Collections.IDictionary).IsAssignableFrom(typeof(T)) ? "{}" : typeof(System.Collections.IEnumerable).IsAssignableFrom(typeof(T)) ? "[]" : "null";
            return JsonSerializer.Deserialize<T>(text, RbdJson.Options)
                ?? throw new JsonException("empty answer");
        }
        catch (JsonException e)
        {
            throw new ArrayException(ArrayErrorKind.Unknown, $"unreadable answer from rbd {string.Join(' ', args)}: {e.Message}", cluster.Name, inner: e);
        }
    }

    public async Task<T> CephJsonAsync<T>(CephCluster cluster, IEnumerable<string> args, CancellationToken ct)
    {
        var text = await RunAsync(_options.CephPath, cluster, [.. args, "--format", "json"], ct, null).ConfigureAwait(false);
        return JsonSerializer.Deserialize<T>(text, RbdJson.Options) ?? throw new ArrayException(ArrayErrorKind.Unknown, "empty answer from ceph", cluster.Name);
    }

    /// <summary>Python with librbd's binding, for what the CLI cannot address (a snapshot in the mirror namespace).</summary>
    public Task<string> PythonAsync(CephCluster cluster, string script, IEnumerable<string> args, CancellationToken ct) =>
        RunAsync(_options.PythonPath, cluster, ["-c", script, cluster.MonHost, cluster.User, KeyFile(cluster) ?? "", cluster.Pool, .. args], ct, _options.CopyTimeout, cephArgs: false);

    private async Task<string> RunAsync(string tool, CephCluster cluster, IEnumerable<string> args, CancellationToken ct, TimeSpan? timeout, bool cephArgs = true)
    {
        var list = args.ToList();
        var backoff = _options.FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(tool, cluster, list, ct, timeout ?? _options.CommandTimeout, cephArgs).ConfigureAwait(false);
            }
            catch (ArrayException e) when (e.Kind == ArrayErrorKind.Unreachable && attempt < _options.MaxAttempts && !ct.IsCancellationRequested)
            {
                _logger.LogWarning("Ceph cluster {Cluster} unreachable (attempt {Attempt}): {Message}", cluster.Name, attempt, e.ArrayMessage);
                await Task.Delay(backoff, _time, ct).ConfigureAwait(false);
                backoff *= 2;
            }
        }
    }

    private async Task<string> RunOnceAsync(string tool, CephCluster cluster, List<string> args, CancellationToken ct, TimeSpan timeout, bool cephArgs)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Timestamps in the tools' JSON are local time: make it UTC. No /etc/ceph conf is read.
        start.Environment["TZ"] = "UTC";
        start.Environment["LC_ALL"] = "C";
        start.Environment.Remove("CEPH_CONF");
        if (cephArgs)
        {
            var connect = ((int)Math.Ceiling(_options.ConnectTimeout.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var a in new[] { "-c", "/dev/null", "-m", cluster.MonHost, "--id", cluster.User, "--client_mount_timeout", connect, "--rados_mon_op_timeout", connect })
                start.ArgumentList.Add(a);
            if (KeyFile(cluster) is { } keyFile)
            {
                start.ArgumentList.Add("--keyfile");
                start.ArgumentList.Add(keyFile);
            }
            else
            {
                start.ArgumentList.Add("--auth_client_required");
                start.ArgumentList.Add("none");
            }
        }
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ArrayException(ArrayErrorKind.Unreachable, $"cannot run {tool}: {e.Message} (install ceph-common and python3-rbd)", cluster.Name, inner: e);
        }
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            var output = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);
            if (process.ExitCode == 0) return output;
            throw Map(cluster, Describe(tool, args), process.ExitCode, errors);
        }
        catch (OperationCanceledException) when (!process.HasExited)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            if (ct.IsCancellationRequested) throw;
            throw new ArrayException(ArrayErrorKind.Timeout, $"{Describe(tool, args)} did not finish within {timeout}", cluster.Name);
        }
    }

    /// <summary>What the command was, without the script body or key file.</summary>
    private static string Describe(string tool, List<string> args) =>
        Path.GetFileName(tool) + " " + string.Join(' ', args.Select(a => a.Contains('\n') ? "<script>" : a));

    internal static ArrayException Map(CephCluster cluster, string command, int exitCode, string stderr)
    {
        // The tools print "rbd: <what>: (errno) <strerror>"; librbd's log lines carry the same errno.
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var summary = lines.LastOrDefault(l => l.StartsWith("rbd:", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal) || l.Contains("error", StringComparison.OrdinalIgnoreCase))
            ?? lines.LastOrDefault() ?? $"exit code {exitCode}";
        var match = Errno().Matches(stderr).LastOrDefault() ?? PythonErrno().Matches(stderr).LastOrDefault();
        // rbd exits with the errno itself; some answers (schedule ls of an image without one: ENOENT) print nothing else.
        var errno = match is null ? (exitCode > 1 ? exitCode : null) : (int?)int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var kind = errno switch
        {
            2 => ArrayErrorKind.NotFound,
            17 => ArrayErrorKind.AlreadyExists,
            16 or 39 => ArrayErrorKind.InUse,
            1 or 13 => ArrayErrorKind.Unauthorized,
            22 or 30 or 95 => ArrayErrorKind.InvalidRequest,
            28 or 122 => ArrayErrorKind.InsufficientCapacity,
            110 or 111 or 108 or 113 => ArrayErrorKind.Unreachable,
            _ when stderr.Contains("error connecting to the cluster", StringComparison.Ordinal)
                || stderr.Contains("failed to fetch mon config", StringComparison.Ordinal) => ArrayErrorKind.Unreachable,
            _ => ArrayErrorKind.Unknown,
        };
        return new ArrayException(kind, $"{summary} ({command})", cluster.Name);
    }

    [GeneratedRegex(@"\((\d+)\) [A-Z][A-Za-z ]+")]
    private static partial Regex Errno();

    /// <summary>The Python binding's form: <c>rbd.ImageNotFound: [errno 2] …</c>.</summary>
    [GeneratedRegex(@"\[errno (\d+)\]")]
    private static partial Regex PythonErrno();

    /// <summary>The cluster's cephx key in a file only this process can read (a key on a command line shows in ps).</summary>
    private string? KeyFile(CephCluster cluster)
    {
        if (string.IsNullOrEmpty(cluster.Key)) return null;
        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{cluster.Name}\n{cluster.User}\n{cluster.Key}")))[..16];
        return _keyFiles.GetOrAdd(id, _ =>
        {
            var path = Path.Combine(_keyDir.Value.FullName, id + ".key");
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new FileStream(path, options))
                file.Write(Encoding.ASCII.GetBytes(cluster.Key));
            return path;
        });
    }

    public void Dispose()
    {
        if (_keyDir.IsValueCreated)
        {
            try { _keyDir.Value.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
