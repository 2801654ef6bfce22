using System.Diagnostics;

namespace Draas.Tests.Simulators;

/// <summary>Runs Debian's official <c>openstack</c> client (python3-openstackclient) with a bounded time,
/// installing the package with apt-get when it is missing (CI starts from a fresh Debian machine).</summary>
public static class OpenStackCli
{
    public const string Executable = "/usr/bin/openstack";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static string? _installFailure;
    private static bool _checked;

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Null when the client is there; otherwise why it could not be installed.</summary>
    public static async Task<string?> EnsureInstalledAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (_checked) return _installFailure;
            _checked = true;
            if (File.Exists(Executable)) return null;
            if (!File.Exists("/usr/bin/apt-get")) return _installFailure = "python3-openstackclient is missing and apt-get is not available";
            var env = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            var install = new[] { "install", "-y", "-qq", "--no-install-recommends", "python3-openstackclient" };
            var first = await RunAsync("/usr/bin/apt-get", install, env, TimeSpan.FromMinutes(8));
            if (first.ExitCode != 0)
            {
                // A fresh machine may have no package lists yet.
                await RunAsync("/usr/bin/apt-get", ["update", "-qq"], env, TimeSpan.FromMinutes(4));
                first = await RunAsync("/usr/bin/apt-get", install, env, TimeSpan.FromMinutes(8));
            }
            if (!File.Exists(Executable))
                _installFailure = $"python3-openstackclient is missing and apt-get could not install it (exit {first.ExitCode}): {Tail(first.Stderr)}";
            return _installFailure;
        }
        finally
        {
            InstallGate.Release();
        }
    }

    /// <summary>Runs <c>openstack --os-cloud CLOUD ARGS...</c> against the given clouds.yaml.</summary>
    public static Task<Result> RunAsync(string cloudsYaml, string cloud, params string[] args)
    {
        var env = new Dictionary<string, string> { ["OS_CLIENT_CONFIG_FILE"] = cloudsYaml, ["PYTHONWARNINGS"] = "ignore" };
        return RunAsync(Executable, ["--os-cloud", cloud, .. args], env, CommandTimeout);
    }

    private static async Task<Result> RunAsync(string file, string[] args, Dictionary<string, string> env, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        // The caller's OS_* variables (a developer's real cloud) must not leak into the simulator's runs.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("OS_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(key);
        foreach (var (k, v) in env) start.Environment[k] = v;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new Result(-1, await stdout, $"timed out after {timeout.TotalSeconds:0} s: {string.Join(' ', args)}\n{await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    private static string Tail(string s) => s.Length <= 400 ? s : s[^400..];
}
