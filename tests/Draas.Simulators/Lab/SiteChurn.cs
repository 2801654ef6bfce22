using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Draas.Simulators.OpenStack;
using Draas.Simulators.OpenStack.Identity;

namespace Draas.Simulators.Lab;

/// <summary>How busy the other tenants of a site are (the lab's "churn" knob).</summary>
public sealed record ChurnOptions
{
    /// <summary>Projects of their own the other tenants work in.</summary>
    public int Projects { get; init; } = 3;

    /// <summary>Clients working at once, each in turn creating or deleting a volume or a server.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Real time between one client's operations.</summary>
    public TimeSpan Pause { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>At most this many volumes and this many servers a project keeps (its default quota is 10).</summary>
    public int MaxPerProject { get; init; } = 4;

    /// <summary>Seed of the choices, so a failing run can be replayed.</summary>
    public int Seed { get; init; } = 4242;
}

/// <summary>
/// Other tenants at work on a shared site: a background load that creates and deletes volumes and
/// servers in projects of its own (<c>churn-NN</c>), through the site's own Keystone, Cinder and Nova
/// APIs, as another customer's automation would, while the code under test runs beside it. Counts what
/// it did; <see cref="DisposeAsync"/> stops it and leaves its resources where they are (another
/// tenant's business).
/// </summary>
public sealed class SiteChurn : IAsyncDisposable
{
    private readonly SimSite _site;
    private readonly ChurnOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<Task> _workers = [];
    private long _volumesCreated, _volumesDeleted, _serversCreated, _serversDeleted, _refused;

    private SiteChurn(SimSite site, ChurnOptions options)
    {
        _site = site;
        _options = options;
    }

    public long VolumesCreated => Interlocked.Read(ref _volumesCreated);
    public long VolumesDeleted => Interlocked.Read(ref _volumesDeleted);
    public long ServersCreated => Interlocked.Read(ref _serversCreated);
    public long ServersDeleted => Interlocked.Read(ref _serversDeleted);

    /// <summary>Operations the site refused (a volume still creating, a quota, an injected fault): part of a busy day.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>The churn's own projects' ids.</summary>
    public IReadOnlyList<string> ProjectIds { get; private set; } = [];

    public override string ToString() =>
        $"churn at {_site.Name}: {VolumesCreated} volumes created, {VolumesDeleted} deleted, {ServersCreated} servers created, {ServersDeleted} deleted, {Refused} refused";

    public static SiteChurn Start(SimSite site, ChurnOptions? options = null)
    {
        options ??= new ChurnOptions();
        var churn = new SiteChurn(site, options);
        var projects = new List<(string Id, string User)>();
        for (var p = 1; p <= options.Projects; p++)
        {
            var name = $"churn-{p:00}";
            var project = site.Identity.FindProject(name) ?? site.Identity.CreateProject(name, "another tenant, busy");
            var user = site.Identity.FindUser(name) ?? site.Identity.CreateUser(name, "churn-secret", project.Id);
            site.Identity.Grant(user.Id, project.Id, IdentityStore.MemberRole);
            projects.Add((project.Id, name));
        }
        churn.ProjectIds = [.. projects.Select(p => p.Id)];
        for (var w = 0; w < options.Workers; w++)
        {
            var (project, user) = projects[w % projects.Count];
            var random = new Random(options.Seed + w);
            churn._workers.Add(Task.Run(() => churn.WorkAsync(project, user, random)));
        }
        return churn;
    }

    private async Task WorkAsync(string project, string user, Random random)
    {
        var ct = _stop.Token;
        string? token = null;
        var volumes = new List<string>();
        var servers = new List<string>();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                token ??= await TokenAsync(project, user, ct).ConfigureAwait(false);
                var volume = random.Next(2) == 0;
                var mine = volume ? volumes : servers;
                var create = mine.Count == 0 || (mine.Count < _options.MaxPerProject && random.Next(2) == 0);
                if (create)
                {
                    var id = volume ? await CreateVolumeAsync(project, token, ct).ConfigureAwait(false) : await CreateServerAsync(token, ct).ConfigureAwait(false);
                    if (id is null) Interlocked.Increment(ref _refused);
                    else
                    {
                        mine.Add(id);
                        Interlocked.Increment(ref volume ? ref _volumesCreated : ref _serversCreated);
                    }
                }
                else
                {
                    var id = mine[random.Next(mine.Count)];
                    var url = volume ? $"{_site.ServiceUrl("volume")}/v3/{project}/volumes/{id}" : $"{_site.ServiceUrl("compute")}/v2.1/servers/{id}";
                    using var delete = Request(HttpMethod.Delete, url, token);
                    using var answer = await _http.SendAsync(delete, ct).ConfigureAwait(false);
                    if (answer.IsSuccessStatusCode || answer.StatusCode == System.Net.HttpStatusCode.NotFound)
                    {
                        mine.Remove(id);
                        if (answer.IsSuccessStatusCode) Interlocked.Increment(ref volume ? ref _volumesDeleted : ref _serversDeleted);
                    }
                    else Interlocked.Increment(ref _refused);
                }
                await Task.Delay(_options.Pause, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or InvalidOperationException)
            {
                // A fault injected into the site, or a token that expired: a busy tenant tries again.
                Interlocked.Increment(ref _refused);
                token = null;
                try
                {
                    await Task.Delay(_options.Pause, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<string?> CreateVolumeAsync(string project, string token, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, $"{_site.ServiceUrl("volume")}/v3/{project}/volumes", token,
            new JsonObject { ["volume"] = new JsonObject { ["size"] = 1, ["name"] = $"churn-{Guid.NewGuid():N}"[..14] } });
        using var answer = await _http.SendAsync(request, ct).ConfigureAwait(false);
        if (!answer.IsSuccessStatusCode) return null;
        return (await answer.Content.ReadFromJsonAsync<JsonObject>(ct).ConfigureAwait(false))?["volume"]?["id"]?.GetValue<string>();
    }

    private async Task<string?> CreateServerAsync(string token, CancellationToken ct)
    {
        var image = _site.Locked(() => _site.Images.Images.Values.First(i => i.Name?.Contains("cirros", StringComparison.Ordinal) == true).Id);
        using var request = Request(HttpMethod.Post, $"{_site.ServiceUrl("compute")}/v2.1/servers", token,
            new JsonObject { ["server"] = new JsonObject { ["name"] = $"churn-{Guid.NewGuid():N}"[..14], ["flavorRef"] = "1", ["imageRef"] = image } });
        using var answer = await _http.SendAsync(request, ct).ConfigureAwait(false);
        if (!answer.IsSuccessStatusCode) return null;
        return (await answer.Content.ReadFromJsonAsync<JsonObject>(ct).ConfigureAwait(false))?["server"]?["id"]?.GetValue<string>();
    }

    private async Task<string> TokenAsync(string project, string user, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["auth"] = new JsonObject
            {
                ["identity"] = new JsonObject
                {
                    ["methods"] = new JsonArray("password"),
                    ["password"] = new JsonObject { ["user"] = new JsonObject { ["name"] = user, ["domain"] = new JsonObject { ["id"] = IdentityStore.DefaultDomainId }, ["password"] = "churn-secret" } },
                },
                ["scope"] = new JsonObject { ["project"] = new JsonObject { ["id"] = project } },
            },
        };
        using var request = Request(HttpMethod.Post, $"{_site.AuthUrl}/auth/tokens", null, body);
        using var answer = await _http.SendAsync(request, ct).ConfigureAwait(false);
        answer.EnsureSuccessStatusCode();
        return answer.Headers.GetValues("X-Subject-Token").First();
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, string? token, JsonObject? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Add("X-Auth-Token", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        _http.Dispose();
    }
}
