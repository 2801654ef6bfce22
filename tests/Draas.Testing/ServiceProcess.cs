using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Draas.Testing;

/// <summary>
/// The service as its own operating-system process (<c>dotnet draas.dll serve</c>), configured by
/// environment (<c>DRAAS__SECTION__KEY</c>) on a port of its own that it keeps across restarts. A test
/// SIGKILLs it mid-run and starts it again, as a crash in production would (nothing survives but the
/// database); a benchmark reads its CPU time and peak RSS, which are its own and nothing of the harness's.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable, IDisposable
{
    private readonly Dictionary<string, string?> _environment;
    private readonly string[] _arguments;
    private StreamWriter? _log;
    private readonly string? _logFile;
    private readonly Queue<string> _tail = new();
    private Process? _process;

    /// <param name="settings">Service settings as <c>section:key</c> (<c>database:connection</c>, ...), given to the process as
    /// <c>DRAAS__SECTION__KEY</c> environment variables; the API's bind address is this object's.</param>
    /// <param name="configFile">A draas.conf to start from (none: the built-in defaults).</param>
    /// <param name="role">api, worker or all (null: the configuration's, all).</param>
    /// <param name="logFile">Where every line the process writes goes, besides the tail kept for errors.</param>
    public ServiceProcess(IReadOnlyDictionary<string, string?> settings, string? configFile = null, string? role = null, string? logFile = null)
    {
        Port = FreePort();
        _environment = settings.ToDictionary(s => Variable(s.Key), s => s.Value);
        _environment[Variable("api:bind_host")] = "127.0.0.1";
        _environment[Variable("api:bind_port")] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _arguments = [Path.Combine(AppContext.BaseDirectory, "draas.dll"), "serve",
            .. configFile is null ? Array.Empty<string>() : ["--config-file", configFile],
            .. role is null ? Array.Empty<string>() : ["--role", role]];
        _logFile = logFile;
        if (logFile is not null) _log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        Url = new Uri($"http://127.0.0.1:{Port}/");
        Http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
        // If the runner is stopped (timeout, Ctrl-C) before it disposes the service, the service goes too.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
    }

    /// <summary>The environment variable that sets <c>section:key</c> (<c>DRAAS__SECTION__KEY</c>).</summary>
    public static string Variable(string setting) => "DRAAS__" + setting.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();

    public int Port { get; }

    public Uri Url { get; }

    public HttpClient Http { get; }

    public int Starts { get; private set; }

    public int Pid => _process?.Id ?? throw new InvalidOperationException("the service process has not started");

    /// <summary>Starts the process and waits until /healthz answers (by default within 60 s).</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet", _arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _environment) start.Environment[key] = value;
        var process = _process = Process.Start(start) ?? throw new InvalidOperationException("could not start draas");
        process.OutputDataReceived += (_, line) => Remember(line.Data);
        process.ErrorDataReceived += (_, line) => Remember(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Starts++;
        using var probe = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (process.HasExited)
            {
                process.WaitForExit(); // drains the output readers
                throw new InvalidOperationException($"draas exited with {process.ExitCode}; its last output:\n{Tail()}{SeeLog}");
            }
            try
            {
                if ((await probe.GetAsync("healthz").ConfigureAwait(false)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline)
            {
                Kill();
                throw new TimeoutException($"draas did not answer /healthz within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds} s; its last output:\n{Tail()}{SeeLog}");
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private string SeeLog => _logFile is null ? "" : $"\n(all of it in {_logFile})";

    /// <summary>SIGKILL: no shutdown hooks, no flushing, running jobs die where they stand.</summary>
    public void Kill()
    {
        try
        {
            if (_process is null || _process.HasExited) return;
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { } // disposed, or gone in between
    }

    /// <summary>User + system CPU time the process has used so far (/proc/PID/stat utime + stime).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process!.Refresh();
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
            _log?.WriteLine(line);
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
        lock (_tail)
        {
            _log?.Dispose();
            _log = null; // the output readers may still hand over a last line
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
