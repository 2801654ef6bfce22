using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Draas.Simulators.OpenStack.Compute;
using Draas.Simulators.OpenStack.Network;

namespace Draas.Simulators.OpenStack.Guests;

/// <summary>
/// The honest lab's guests: each server gets its own loopback address (Nova's <c>accessIPv4</c>, 127.x.y.z)
/// and, while ACTIVE, answers real TCP on it for the ports its guest serves (<c>sim:serves</c> metadata,
/// default 22, 80, 443, 5432, 8080) — but only on the ports its security groups let in from the probe's
/// source address (any port when port security is off). HTTP gets the status in <c>sim:http_status</c>
/// (default 200); <c>sim:unhealthy</c> metadata stops every service of the guest. A port the groups do not allow has no listener: the probe sees its connection refused
/// (a real security group drops silently; the lab rejects, so a failing check fails fast). Listeners are
/// reconciled with Nova and Neutron on every request to the site.
/// <para>Every guest's HTTP also serves the workload's data canary at <c>/canary</c>: <c>POST</c> with a token as
/// the body writes it to the guest's root volume (its write log, so it replicates with the volume's data) and
/// answers 201; <c>GET</c> answers the tokens on the guest's volumes, oldest first, as a JSON array.</para>
/// </summary>
public sealed class GuestNetwork : IDisposable
{
    public static readonly int[] DefaultPorts = [22, 80, 443, 5432, 8080];

    private readonly SimSite _site;
    private readonly IPAddress _probeSource;
    private readonly byte _b;
    private readonly byte _c;
    private readonly Dictionary<(string Server, int Port), Listener> _open = [];
    private readonly CancellationTokenSource _stop = new();

    internal GuestNetwork(SimSite site, IPAddress probeSource)
    {
        _site = site;
        _probeSource = probeSource;
        // A random 127.b.c.0/22 per site, so labs running side by side never take each other's addresses.
        var random = RandomNumberGenerator.GetBytes(2);
        _b = (byte)(64 + random[0] % 128);
        _c = (byte)(random[1] & 0xfc);
    }

    /// <summary>Ports that failed to listen (e.g. below 1024 without the right to bind them), for diagnosis.</summary>
    public List<string> Problems { get; } = [];

    internal string AddressFor(int index) => $"127.{_b}.{_c + (index / 250) % 4}.{index % 250 + 2}";

    /// <summary>Under the site's lock: opens and closes listeners to match what each server should answer.</summary>
    internal void Reconcile()
    {
        var wanted = new HashSet<(string, int)>();
        // Runs before and after every request: index ports and rules once, not per server (a site of hundreds
        // of tenants would otherwise spend its lock scanning every rule for every server).
        var network = new NetworkIndex(_site.Networks.Ports.ToDictionary(p => p.Id),
            _site.Networks.Rules.Where(r => r.Direction == "ingress" && r.Ethertype == "IPv4").ToLookup(r => r.SecurityGroupId));
        foreach (var server in _site.Compute.Servers.Values)
        {
            // sim:unhealthy: the guest's services are down (a hung application), so nothing answers.
            if (server.Status != "ACTIVE" || server.AccessIPv4 is null || server.Metadata.ContainsKey("sim:unhealthy")) continue;
            foreach (var port in Serves(server).Where(p => Allowed(network, server, p))) wanted.Add((server.Id, port));
        }
        foreach (var key in _open.Keys.Where(k => !wanted.Contains(k)).ToList())
        {
            _open[key].Dispose();
            _open.Remove(key);
        }
        foreach (var (serverId, port) in wanted.Where(k => !_open.ContainsKey(k)))
        {
            var server = _site.Compute.Servers[serverId];
            try
            {
                _open[(serverId, port)] = new Listener(this, serverId, IPAddress.Parse(server.AccessIPv4!), port, _stop.Token);
            }
            catch (SocketException e)
            {
                if (Problems.Count < 100) Problems.Add($"{server.Name} {server.AccessIPv4}:{port}: {e.Message}");
            }
        }
    }

    private static IEnumerable<int> Serves(Server s) =>
        s.Metadata.TryGetValue("sim:serves", out var list)
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => int.TryParse(p, out var n) ? n : 0).Where(n => n is > 0 and < 65536)
            : DefaultPorts;

    private sealed record NetworkIndex(Dictionary<string, Port> Ports, ILookup<string, SecurityGroupRule> IngressByGroup);

    /// <summary>Whether the server's ports' security groups let TCP to <paramref name="port"/> in from the probe's source.</summary>
    private bool Allowed(NetworkIndex network, Server server, int port)
    {
        var ports = server.PortIds.Select(id => network.Ports.GetValueOrDefault(id)).OfType<Port>().ToList();
        if (ports.Count == 0) return false; // no NIC, no network path
        if (ports.Any(p => !p.PortSecurityEnabled)) return true;
        return ports.SelectMany(p => p.SecurityGroups).Distinct().SelectMany(g => network.IngressByGroup[g]).Any(r =>
            (r.Protocol is null or "tcp" or "6" or "any")
            && (r.PortRangeMin is null || (r.PortRangeMin <= port && port <= (r.PortRangeMax ?? r.PortRangeMin)))
            && r.RemoteGroupId is null
            && (r.RemoteIpPrefix is null || NetworkState.InCidr(_probeSource.ToString(), r.RemoteIpPrefix)));
    }

    private async Task AnswerAsync(string serverId, TcpClient client, CancellationToken ct)
    {
        using var _ = client;
        var status = _site.Locked(() => _site.Compute.Servers.GetValueOrDefault(serverId)?.Metadata.GetValueOrDefault("sim:http_status")) ?? "200";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            var stream = client.GetStream();
            var buffer = new byte[4096];
            var seen = new List<byte>();
            int headerEnd;
            while ((headerEnd = HeaderEnd(seen)) < 0)
            {
                var n = await stream.ReadAsync(buffer, timeout.Token);
                if (n == 0) return; // a TCP check connects and leaves
                seen.AddRange(buffer.AsSpan(0, n));
                if (seen.Count > 16_384) return;
            }
            var head = Encoding.ASCII.GetString([.. seen.Take(headerEnd)]);
            var requestLine = head.Split("\r\n")[0].Split(' ');
            var length = head.Split("\r\n").Select(h => h.Split(':', 2)).Where(h => h.Length == 2 && h[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                .Select(h => int.TryParse(h[1].Trim(), out var l) ? l : 0).FirstOrDefault();
            while (seen.Count - (headerEnd + 4) < Math.Min(length, 4096))
            {
                var n = await stream.ReadAsync(buffer, timeout.Token);
                if (n == 0) break;
                seen.AddRange(buffer.AsSpan(0, n));
            }
            var content = Encoding.UTF8.GetString([.. seen.Skip(headerEnd + 4).Take(Math.Min(length, 4096))]);
            var (code, type, body) = requestLine is [var method, var target, ..] && target.Split('?')[0] == "/canary" && status == "200"
                ? Canary(serverId, method, content)
                : (status, "text/plain", "ok\n");
            var bytes = Encoding.UTF8.GetBytes(body);
            var answer = $"HTTP/1.1 {code} Simulated\r\nContent-Type: {type}\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(answer).Concat(bytes).ToArray(), timeout.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
        }
    }

    private static int HeaderEnd(List<byte> seen)
    {
        for (var i = 0; i + 3 < seen.Count; i++)
            if (seen[i] == '\r' && seen[i + 1] == '\n' && seen[i + 2] == '\r' && seen[i + 3] == '\n') return i;
        return -1;
    }

    /// <summary>The workload's canary endpoint, on top of the guest's write log.</summary>
    private (string Code, string Type, string Body) Canary(string serverId, string method, string token)
    {
        switch (method)
        {
            case "POST":
                token = token.Trim();
                if (token.Length is 0 or > 200 || token.Any(char.IsControl)) return ("400", "text/plain", "a token of 1-200 printable characters is the body\n");
                return _site.WriteFromServer(serverId, SimSite.CanaryPrefix + token)
                    ? ("201", "text/plain", "written\n")
                    : ("503", "text/plain", "the guest has no volume to write to\n");
            case "GET":
                return _site.CanaryTokens(serverId) is { } tokens
                    ? ("200", "application/json", System.Text.Json.JsonSerializer.Serialize(tokens))
                    : ("503", "text/plain", "the guest is not running\n");
            default:
                return ("405", "text/plain", "GET or POST\n");
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        lock (_site.Gate)
        {
            foreach (var l in _open.Values) l.Dispose();
            _open.Clear();
        }
    }

    private sealed class Listener : IDisposable
    {
        private readonly TcpListener _listener;

        public Listener(GuestNetwork owner, string serverId, IPAddress address, int port, CancellationToken ct)
        {
            _listener = new TcpListener(address, port);
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (!ct.IsCancellationRequested)
                {
                    TcpClient client;
                    try
                    {
                        client = await _listener.AcceptTcpClientAsync(ct);
                    }
                    catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
                    {
                        return;
                    }
                    _ = owner.AnswerAsync(serverId, client, ct);
                }
            }, CancellationToken.None);
        }

        public void Dispose() => _listener.Stop();
    }
}
