using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Draas.Tests.Support;

/// <summary>
/// The service as its own operating-system process (<c>dotnet draas.dll serve</c>), so a test can SIGKILL it
/// mid-run and start it again, as a crash in production would: nothing survives but the database.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly Queue<string> _tail = new();
    private Process? _process;

    public ServiceProcess(string connectionString, KeystoneStandIn keystone)
    {
        Port = FreePort();
        _environment = new Dictionary<string, string>
        {
            ["DRAAS__DATABASE__CONNECTION"] = connectionString,
            ["DRAAS__KEYSTONE_AUTHTOKEN__AUTH_URL"] = keystone.AuthUrl,
            ["DRAAS__KEYSTONE_AUTHTOKEN__PASSWORD"] = KeystoneStandIn.ServicePassword,
            ["DRAAS__API__BIND_HOST"] = "127.0.0.1",
            ["DRAAS__API__BIND_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DRAAS__API__POLICY_FILE"] = "/nonexistent/policy.yaml",
            ["DRAAS__JOBS__WORKERS"] = "4",
            ["DRAAS__JOBS__POLL_INTERVAL_MS"] = "100",
            ["DRAAS__PROBE__SECRET"] = LabProbeAgent.Secret,
            // A killed worker's step is handed on after 5 s instead of 20: the chaos tests wait less per kill.
            ["DRAAS__JOBS__STEP_LEASE_SECONDS"] = "5",
        };
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public HttpClient Http { get; }

    public int Starts { get; private set; }

    /// <summary>Starts the process and waits until /healthz answers.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "draas.dll"), "serve"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _environment) start.Environment[key] = value;
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start draas");
        _process.OutputDataReceived += (_, line) => Remember(line.Data);
        _process.ErrorDataReceived += (_, line) => Remember(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Starts++;
        await Eventually.WaitForAsync(async () =>
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the output readers
                throw new InvalidOperationException($"draas exited with {_process.ExitCode}; its last output:\n{Tail()}");
            }
            try
            {
                return (await Http.GetAsync("/healthz")).IsSuccessStatusCode ? "up" : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, "the service process to answer", TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, running jobs die where they stand.</summary>
    public void Kill()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>The last lines the process wrote: what a crash at start-up said before it died.</summary>
    public string Tail()
    {
        lock (_tail) return string.Join('\n', _tail);
    }

    private void Remember(string? line)
    {
        if (line is null) return;
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 60) _tail.Dequeue();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        Http.Dispose();
    }
}
