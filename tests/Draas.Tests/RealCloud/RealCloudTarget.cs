using System.Text.Json;
using System.Text.Json.Nodes;
using Draas.OpenStack.Core;
using Draas.OpenStack.Identity;

namespace Draas.Tests.RealCloud;

/// <summary>The real Keystone, Nova, Cinder and Glance that tests/realcloud/up.sh runs on loopback,
/// described by the endpoints file named in <see cref="EndpointsVariable"/>.</summary>
public sealed class RealCloudTarget(string endpointsFile) : CloudTarget
{
    public const string EndpointsVariable = "DRAAS_REALCLOUD_ENDPOINTS";

    public override WaitOptions Wait { get; } = new() { Timeout = TimeSpan.FromMinutes(3), Interval = TimeSpan.FromMilliseconds(500), MaxInterval = TimeSpan.FromSeconds(2) };

    public override async Task StartAsync(CancellationToken ct)
    {
        if (!File.Exists(endpointsFile))
            throw new FileNotFoundException($"{EndpointsVariable} names {endpointsFile}, which does not exist: run tests/realcloud/up.sh (or ./tox -e realcloud)");
        var doc = JsonNode.Parse(await File.ReadAllTextAsync(endpointsFile, ct))!;
        var sites = doc["sites"]!.AsArray().Select(s => Describe(s!)).ToList();
        if (sites.Count < 2) throw new InvalidDataException($"{endpointsFile} describes {sites.Count} site(s); the scenarios need two");
        Site1 = sites[0];
        Site2 = sites[1];
    }

    static CloudSite Describe(JsonNode site)
    {
        var stateFile = site["fake_backend_state_file"]!.GetValue<string>();
        return new CloudSite
        {
            Name = site["name"]!.GetValue<string>(),
            AdminOptions = () => Options(site, "admin"),
            MemberOptions = () => Options(site, "member"),
            HasCompute = site["compute"]!.GetValue<bool>(),
            BackendHost = site["volume_backend_host"]!.GetValue<string>(),
            PlaceBackendVolume = (name, sizeGiB) => FakeBackendState.PlaceAsync(stateFile, name, sizeGiB),
        };
    }

    static KeystoneSessionOptions Options(JsonNode site, string who)
    {
        var user = site[who]!;
        return new KeystoneSessionOptions
        {
            AuthUrl = site["auth_url"]!.GetValue<string>(),
            Region = site["region"]!.GetValue<string>(),
            Username = user["username"]!.GetValue<string>(),
            Password = user["password"]!.GetValue<string>(),
            UserDomainName = user["user_domain_name"]!.GetValue<string>(),
            ProjectName = user["project_name"]!.GetValue<string>(),
            ProjectDomainName = user["project_domain_name"]!.GetValue<string>(),
        };
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>The state file of the harness's stateful fake Cinder backend (tests/realcloud/lib/draas_fake_backend.py):
/// {"lvs": {name: {"size": GiB, "origin": null, "open": false}}}. The driver rewrites it under an exclusive
/// flock on STATE.lock; .NET's FileShare.None takes the same flock on Linux, so both sides serialise.</summary>
public static class FakeBackendState
{
    public static async Task PlaceAsync(string stateFile, string name, int sizeGiB)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var gate = new FileStream(stateFile + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                var state = File.Exists(stateFile) ? JsonNode.Parse(await File.ReadAllTextAsync(stateFile))!.AsObject() : new JsonObject();
                if (state["lvs"] is not JsonObject lvs) state["lvs"] = lvs = new JsonObject();
                lvs[name] = new JsonObject { ["size"] = sizeGiB, ["origin"] = null, ["open"] = false };
                var temp = $"{stateFile}.tmp.draas{Environment.ProcessId}";
                await File.WriteAllTextAsync(temp, state.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                File.Move(temp, stateFile, overwrite: true);
                return;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50); // the driver holds the lock for a moment
            }
        }
    }
}
