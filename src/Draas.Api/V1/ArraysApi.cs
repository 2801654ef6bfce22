using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Draas.Api.Configuration;
using Draas.Api.Errors;
using Draas.Api.Http;
using Draas.Api.Policy;
using Draas.Data;
using Draas.Data.Secrets;
using Draas.Domain.Arrays;
using Draas.Storage;
using Draas.Workflows.Protection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Draas.Api.V1;

/// <summary>/v1/arrays: the storage arrays behind each site's Cinder backends (cloud admins only).</summary>
public static partial class ArraysApi
{
    [GeneratedRegex("^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+#[A-Za-z0-9._-]+\\z")]
    private static partial Regex CinderBackendPattern();

    public static void Map(RouteGroupBuilder v1)
    {
        var arrays = v1.MapGroup("/arrays");
        arrays.MapGet("", ListAsync).Produces<ArrayList>();
        arrays.MapPost("", CreateAsync).Reads<ArrayBody>().Produces<ArrayEnvelope>(201);
        arrays.MapGet("/{id}", ShowAsync).Produces<ArrayEnvelope>();
        arrays.MapPut("/{id}", UpdateAsync).Reads<ArrayBody>().Produces<ArrayEnvelope>();
        arrays.MapDelete("/{id}", DeleteAsync);
        arrays.MapPost("/{id}/action", ActionAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api)
    {
        policy.Enforce(context, "draas:array:list");
        var paging = Paging.From(context.Request, api.MaxLimit);
        var query = db.Arrays.AsNoTracking();
        if (context.Request.Query.TryGetValue("site_id", out var site))
            query = Guid.TryParse(site, out var siteId) ? query.Where(a => a.SiteId == siteId) : throw ApiException.BadRequest("site_id must be an id.");
        var page = await paging.PageAsync(query, context.RequestAborted);
        return ApiJson.Ok(new ArrayList(page.Select(ArrayView.Of), paging.Links(context.Request, page.Count, page.LastOrDefault()?.Id)));
    }

    private static async Task<IResult> ShowAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy)
    {
        policy.Enforce(context, "draas:array:get");
        return ApiJson.Ok(new ArrayEnvelope(ArrayView.Of(await FindAsync(db, id, tracked: false, context.RequestAborted))));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api, SecretProtector secrets, StoragePluginCatalog plugins, TimeProvider clock)
    {
        policy.Enforce(context, "draas:array:create");
        var fields = (await JsonBody.ReadAsync<ArrayBody>(context.Request, api.MaxBodyBytes)).Array
            ?? throw ApiException.BadRequest("The request body must be {\"array\": {...}}.");
        var v = new Validator();
        var name = v.Name("array.name", fields.Name, required: true);
        v.Require(fields.SiteId is not null, "array.site_id is required");
        var plugin = v.OneOf("array.plugin", fields.Plugin, plugins.Names, required: true);
        var endpoint = v.Endpoint("array.endpoint", fields.Endpoint, required: true, plugin is not null && plugins.TryGet(plugin, out var p) ? p : null);
        var token = v.Secret("array.api_token", fields.ApiToken, 4096, required: true);
        var backend = CinderBackend(v, fields.CinderBackend, required: true);
        var types = VolumeTypes(v, fields.VolumeTypes);
        var caBundle = CaBundle(v, fields.CaBundle);
        var copies = v.Between("array.max_concurrent_copies", fields.MaxConcurrentCopies, 1, Domain.Sites.Site.MaxConcurrentLimit);
        v.ThrowIfInvalid();
        await EnsureSiteAsync(db, fields.SiteId!.Value, context.RequestAborted);
        if (fields.PeerArrayId is { } peer) await EnsurePeerAsync(db, peer, null, context.RequestAborted);
        if (await db.Arrays.AnyAsync(a => a.Name == name, context.RequestAborted)) throw ApiException.Conflict($"An array named {name} already exists.");
        var now = clock.GetUtcNow();
        var array = new StorageArray
        {
            Id = Guid.NewGuid(),
            Name = name!,
            SiteId = fields.SiteId.Value,
            Plugin = plugin!,
            Endpoint = endpoint!,
            ApiTokenCiphertext = secrets.Protect(token!),
            CinderBackend = backend!,
            VolumeTypes = types ?? [],
            PeerArrayId = fields.PeerArrayId,
            VerifyTls = fields.VerifyTls ?? true,
            CaBundle = caBundle,
            MaxConcurrentCopies = copies ?? Domain.Sites.Site.DefaultMaxConcurrent,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Arrays.Add(array);
        AuditTrail.Record(db, context, clock, "array.create", "array", array.Id.ToString(), detail: new { array.Name, array.Endpoint, array.CinderBackend });
        await Lookup.SaveAsync(db, $"An array named {array.Name} already exists.", context.RequestAborted);
        context.Response.Headers.Location = $"/v1/arrays/{array.Id}";
        return ApiJson.Ok(new ArrayEnvelope(ArrayView.Of(array)), 201);
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api, SecretProtector secrets, StoragePluginCatalog plugins, TimeProvider clock)
    {
        policy.Enforce(context, "draas:array:update");
        var fields = (await JsonBody.ReadAsync<ArrayBody>(context.Request, api.MaxBodyBytes)).Array
            ?? throw ApiException.BadRequest("The request body must be {\"array\": {...}}.");
        var array = await FindAsync(db, id, tracked: true, context.RequestAborted);
        var v = new Validator();
        v.Require(fields.SiteId is null || fields.SiteId == array.SiteId, "array.site_id cannot be changed; register the array again");
        v.Require(fields.Plugin is null || fields.Plugin == array.Plugin, "array.plugin cannot be changed; register the array again");
        var name = v.Name("array.name", fields.Name, required: false);
        var endpoint = v.Endpoint("array.endpoint", fields.Endpoint, required: false, plugins.TryGet(array.Plugin, out var p) ? p : null);
        var token = v.Secret("array.api_token", fields.ApiToken, 4096);
        var backend = CinderBackend(v, fields.CinderBackend, required: false);
        var types = VolumeTypes(v, fields.VolumeTypes);
        var caBundle = CaBundle(v, fields.CaBundle);
        var copies = v.Between("array.max_concurrent_copies", fields.MaxConcurrentCopies, 1, Domain.Sites.Site.MaxConcurrentLimit);
        v.ThrowIfInvalid();
        if (fields.PeerArrayId is { } peer) await EnsurePeerAsync(db, peer, array.Id, context.RequestAborted);
        if (name is not null && name != array.Name && await db.Arrays.AnyAsync(a => a.Name == name, context.RequestAborted))
            throw ApiException.Conflict($"An array named {name} already exists.");
        array.Name = name ?? array.Name;
        array.Endpoint = endpoint ?? array.Endpoint;
        array.CinderBackend = backend ?? array.CinderBackend;
        array.VolumeTypes = types ?? array.VolumeTypes;
        array.PeerArrayId = fields.PeerArrayId ?? array.PeerArrayId;
        array.VerifyTls = fields.VerifyTls ?? array.VerifyTls;
        array.CaBundle = caBundle ?? array.CaBundle;
        array.MaxConcurrentCopies = copies ?? array.MaxConcurrentCopies;
        if (token is not null) array.ApiTokenCiphertext = secrets.Protect(token);
        array.UpdatedAt = clock.GetUtcNow();
        AuditTrail.Record(db, context, clock, "array.update", "array", array.Id.ToString(), detail: new { token_changed = token is not null });
        await Lookup.SaveAsync(db, $"An array named {array.Name} already exists.", context.RequestAborted);
        return ApiJson.Ok(new ArrayEnvelope(ArrayView.Of(array)));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy, TimeProvider clock)
    {
        policy.Enforce(context, "draas:array:delete");
        var array = await FindAsync(db, id, tracked: true, context.RequestAborted);
        if (await db.Arrays.AnyAsync(a => a.PeerArrayId == array.Id, context.RequestAborted))
            throw ApiException.Conflict($"Array {array.Name} is the replication peer of another array; change that array first.");
        db.Arrays.Remove(array);
        AuditTrail.Record(db, context, clock, "array.delete", "array", array.Id.ToString(), detail: new { array.Name });
        await db.SaveChangesAsync(context.RequestAborted);
        return Results.NoContent();
    }

    /// <summary><c>{"probe": {}}</c>: asks the plugin whether the array answers, and what it has.</summary>
    private static async Task<IResult> ActionAsync(string id, HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api, ArrayReferences references, StoragePluginCatalog plugins)
    {
        var body = await JsonBody.ReadAsync<JsonObject>(context.Request, api.MaxBodyBytes);
        if (body.Count != 1 || body["probe"] is not JsonObject { Count: 0 }) throw ApiException.BadRequest("The only array action is {\"probe\": {}}.");
        policy.Enforce(context, "draas:array:probe");
        var array = await FindAsync(db, id, tracked: false, context.RequestAborted);
        var reference = references.For(array);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            var probe = await plugins.Get(array.Plugin).ProbeAsync(reference, timeout.Token);
            return ApiJson.Ok(new
            {
                probe = new
                {
                    reachable = true,
                    probe.Name,
                    probe.Version,
                    probe.ApiVersion,
                    probe.CapacityBytes,
                    probe.UsedBytes,
                    probe.FreeBytes,
                    probe.ProvisionedBytes,
                    probe.ProvisioningHeadroomBytes,
                    connections = probe.Connections.Select(c => new { c.RemoteName, c.Type, c.Status }),
                },
            });
        }
        catch (ArrayException e)
        {
            // The array's failure is the answer to the probe, not an error of this request.
            return ApiJson.Ok(new { probe = new { reachable = false, error = e.Message } });
        }
    }

    private static string? CinderBackend(Validator v, string? value, bool required)
    {
        var backend = v.Text("array.cinder_backend", value, 255, required);
        if (backend is not null) v.Require(CinderBackendPattern().IsMatch(backend), "array.cinder_backend must look like host@backend#pool");
        return backend;
    }

    private static List<string>? VolumeTypes(Validator v, List<string>? types)
    {
        if (types is null) return null;
        v.Require(types.Count <= 64, "array.volume_types holds at most 64 types");
        for (var i = 0; i < types.Count; i++) v.Text($"array.volume_types[{i}]", types[i], 255, required: true);
        v.Require(types.Distinct().Count() == types.Count, "array.volume_types must not repeat a type");
        return types;
    }

    private static string? CaBundle(Validator v, string? path)
    {
        var bundle = v.Text("array.ca_bundle", path, 255);
        if (bundle is not null) v.Require(Path.IsPathFullyQualified(bundle) && !bundle.Contains(".."), "array.ca_bundle must be an absolute path to a PEM file on the service's hosts");
        return bundle;
    }

    private static async Task EnsureSiteAsync(DraasDbContext db, Guid siteId, CancellationToken ct)
    {
        if (!await db.Sites.AnyAsync(s => s.Id == siteId, ct)) throw ApiException.BadRequest($"array.site_id {siteId} is not a registered site.");
    }

    private static async Task EnsurePeerAsync(DraasDbContext db, Guid peerId, Guid? self, CancellationToken ct)
    {
        if (peerId == self) throw ApiException.BadRequest("An array cannot be its own replication peer.");
        if (!await db.Arrays.AnyAsync(a => a.Id == peerId, ct)) throw ApiException.BadRequest($"array.peer_array_id {peerId} is not a registered array.");
    }

    private static Task<StorageArray> FindAsync(DraasDbContext db, string id, bool tracked, CancellationToken ct) =>
        Lookup.FindAsync(tracked ? db.Arrays : db.Arrays.AsNoTracking(), id, "Array", guid => a => a.Id == guid, ct);
}
