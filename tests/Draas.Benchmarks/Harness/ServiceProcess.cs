using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Draas.Benchmarks.Harness;

/// <summary>
/// The service as its own process (<c>dotnet draas.dll serve</c>, the shipped draas.conf plus environment
/// overrides), so its CPU time and peak RSS are its own and nothing of the harness's.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServiceProcess(Process process, int port, StreamWriter log)
    {
        _process = process;
        _log = log;
        Url = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri Url { get; }
    public int Pid => _process.Id;

    /// <summary>The settings the benchmark ran the service with (defaults of etc/draas/draas.conf unless overridden).</summary>
    public static IReadOnlyDictionary<string, string> Overrides { get; } = new Dictionary<string, string>
    {
        ["DRAAS__JOBS__WORKERS"] = Environment.GetEnvironmentVariable("DRAAS_BENCH_WORKERS") ?? "10",
        ["DRAAS__JOBS__FAILOVER_WORKERS"] = Environment.GetEnvironmentVariable("DRAAS_BENCH_FAILOVER_WORKERS") ?? "4",
        ["DRAAS__JOBS__POLL_INTERVAL_MS"] = Environment.GetEnvironmentVariable("DRAAS_BENCH_POLL_MS") ?? "1000",
    };

    /// <param name="role">api, worker or all (null: the config file's, all).</param>
    public static async Task<ServiceProcess> StartAsync(string connectionString, string keystoneAuthUrl, string configFile, string logFile, string? role = null)
    {
        var port = FreePort();
        string[] args = [Path.Combine(AppContext.BaseDirectory, "draas.dll"), "serve", "--config-file", configFile, .. role is null ? Array.Empty<string>() : ["--role", role]];
        var start = new ProcessStartInfo("dotnet", args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var env = new Dictionary<string, string>(Overrides)
        {
            ["DRAAS__DATABASE__CONNECTION"] = connectionString,
            ["DRAAS__DATABASE__AUTO_MIGRATE"] = "true",
            ["DRAAS__API__BIND_HOST"] = "127.0.0.1",
            ["DRAAS__API__BIND_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DRAAS__API__POLICY_FILE"] = Path.Combine(Path.GetDirectoryName(configFile)!, "policy.yaml"),
            ["DRAAS__KEYSTONE_AUTHTOKEN__AUTH_URL"] = keystoneAuthUrl,
            ["DRAAS__KEYSTONE_AUTHTOKEN__USERNAME"] = "admin",
            ["DRAAS__KEYSTONE_AUTHTOKEN__PASSWORD"] = "sim-admin-secret",
            ["DRAAS__KEYSTONE_AUTHTOKEN__PROJECT_NAME"] = "admin",
            ["DRAAS__KEYSTONE_AUTHTOKEN__USER_DOMAIN_NAME"] = "Default",
            ["DRAAS__KEYSTONE_AUTHTOKEN__PROJECT_DOMAIN_NAME"] = "Default",
        };
        foreach (var (key, value) in env) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start draas");
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new ServiceProcess(process, port, log);
        // If the harness is stopped (timeout, Ctrl-C) before it disposes the service, the service goes too.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"draas exited with {process.ExitCode}; see {logFile}");
            try
            {
                if ((await http.GetAsync(new Uri(service.Url, "healthz")).ConfigureAwait(false)).IsSuccessStatusCode) return service;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(300).ConfigureAwait(false);
        }
        await service.DisposeAsync().ConfigureAwait(false);
        throw new TimeoutException($"draas did not answer /healthz within 120 s; see {logFile}");
    }

    /// <summary>User + system CPU time the process has used so far (/proc/PID/stat utime + stime).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Peak resident set size in bytes (VmHWM in /proc/PID/status).</summary>
    public long PeakRssBytes
    {
        get
        {
            var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process.Dispose();
        lock (_log) _log.Dispose();
    }
}
