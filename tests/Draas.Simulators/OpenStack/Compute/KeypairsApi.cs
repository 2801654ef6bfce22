using System.Security.Cryptography;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Compute;

/// <summary>Nova keypairs, which belong to a user (not a project): list (each item wrapped in
/// <c>{"keypair": ...}</c>), show, import, generate (before 2.92), delete.</summary>
internal static class KeypairsApi
{
    private static readonly Microversion NoGeneration = new(2, 92);

    public static void Map(RouteGroupBuilder v21, SimSite site)
    {
        string Owner(HttpContext http)
        {
            var t = http.Token();
            return t.IsAdmin && http.Request.Query["user_id"].ToString() is { Length: > 0 } u ? u : t.User.Id;
        }
        IResult NotFound(string name) => ApiError.Fault(404, $"Keypair {name} not found for user");

        v21.MapGet("/os-keypairs", (HttpContext http) => site.Locked(() =>
        {
            var owner = Owner(http);
            var list = site.Compute.Keypairs.Where(k => k.UserId == owner).OrderBy(k => k.Name, StringComparer.Ordinal).ToList();
            if (!Paging.TryPage(http.Request, list, k => k.Name, 1000, out var page, out var error)) return ApiError.Fault(400, error!);
            var body = new Dictionary<string, object>
            {
                ["keypairs"] = page.Items.Select(k => new { keypair = ComputeViews.Keypair(k, Microversion.Of(http), false) }).ToArray(),
            };
            if (page.NextMarker is not null && Microversion.Of(http) >= new Microversion(2, 35))
                body["keypairs_links"] = Paging.Links(http.Request, page.NextMarker);
            return SimJson.Json(body);
        }));
        v21.MapGet("/os-keypairs/{name}", (HttpContext http, string name) => site.Locked(() =>
        {
            var owner = Owner(http);
            return site.Compute.Keypairs.FirstOrDefault(k => k.UserId == owner && k.Name == name) is { } k
                ? SimJson.Json(new { keypair = ComputeViews.Keypair(k, Microversion.Of(http), true) })
                : NotFound(name);
        }));
        v21.MapPost("/os-keypairs", async (HttpContext http) =>
        {
            var b = (await JsonBody.ReadAsync(http.Request)).Prop("keypair");
            var name = b.Str("name");
            var mv = Microversion.Of(http);
            if (string.IsNullOrWhiteSpace(name)) return ApiError.Fault(400, "Invalid input for field/attribute name.");
            var publicKey = b.Str("public_key");
            if (publicKey is null && mv >= NoGeneration) return ApiError.Fault(400, "Invalid input for field/attribute keypair. 'public_key' is a required property");
            string? privateKey = null;
            if (publicKey is null)
            {
                var key = RandomNumberGenerator.GetBytes(64);
                publicKey = "ssh-ed25519 " + Convert.ToBase64String(key[..32]) + " Generated-by-Nova";
                privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Convert.ToBase64String(key) + "\n-----END OPENSSH PRIVATE KEY-----\n";
            }
            var parts = publicKey.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            byte[] blob;
            try { blob = Convert.FromBase64String(parts.Length > 1 ? parts[1] : ""); }
            catch (FormatException) { return ApiError.Fault(400, "Keypair data is invalid: failed to generate fingerprint"); }
            var fingerprint = string.Join(':', MD5.HashData(blob).Select(x => x.ToString("x2")));
            var t = http.Token();
            return site.Locked(() =>
            {
                var owner = t.IsAdmin && b.Str("user_id") is { } u ? u : t.User.Id;
                if (site.Compute.Keypairs.Any(k => k.UserId == owner && k.Name == name))
                    return ApiError.Fault(409, $"Key pair '{name}' already exists.");
                var k = new Keypair
                {
                    Id = site.Compute.NextKeypairId++,
                    Name = name,
                    UserId = owner,
                    PublicKey = publicKey,
                    Fingerprint = fingerprint,
                    Type = b.Str("type") ?? "ssh",
                    CreatedAt = site.Scheduler.Clock.GetUtcNow(),
                };
                site.Compute.Keypairs.Add(k);
                var view = ComputeViews.Keypair(k, mv, false);
                view["user_id"] = owner;
                if (privateKey is not null) view["private_key"] = privateKey;
                return SimJson.Json(new { keypair = view }, mv >= new Microversion(2, 2) ? 201 : 200);
            });
        });
        v21.MapDelete("/os-keypairs/{name}", (HttpContext http, string name) => site.Locked(() =>
        {
            var owner = Owner(http);
            var removed = site.Compute.Keypairs.RemoveAll(k => k.UserId == owner && k.Name == name) > 0;
            if (!removed) return NotFound(name);
            return Microversion.Of(http) >= new Microversion(2, 2) ? Results.NoContent() : Results.StatusCode(202);
        }));
    }
}
