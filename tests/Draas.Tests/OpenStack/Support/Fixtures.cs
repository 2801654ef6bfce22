namespace Draas.Tests.OpenStack.Support;

/// <summary>Wire bodies in the shapes the real services send (after Keystone's, Nova's, Cinder's and Glance's api-ref).</summary>
static class Fixtures
{
    public const string ProjectId = "5a6d9e1f8c2b4f7d9e3a1b2c4d5e6f70";
    public const string UserId = "ee4dfb6e5540447cb3741905149d9b6e";

    /// <summary>
    /// A project-scoped token whose catalog points at <paramref name="baseUrl"/>: public endpoints in
    /// RegionOne, and decoys (internal interface, RegionTwo) that a wrong lookup would pick.
    /// </summary>
    /// <param name="isAdminProject">null leaves the key out, as Keystone does without an admin project configured.</param>
    public static string Token(string baseUrl, DateTimeOffset expiresAt, string userName = "draas", bool? isAdminProject = true) => $$"""
        {
          "token": {
            "methods": ["password"],
            "user": {"domain": {"id": "default", "name": "Default"}, "id": "{{UserId}}", "name": "{{userName}}", "password_expires_at": null},
            "audit_ids": ["3T2dc1CGQxyJsHdDu1xkcw"],
            "expires_at": "{{expiresAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffff}}Z",
            "issued_at": "{{expiresAt.UtcDateTime.AddHours(-1):yyyy-MM-ddTHH:mm:ss.ffffff}}Z",
            "project": {"domain": {"id": "default", "name": "Default"}, "id": "{{ProjectId}}", "name": "admin"},
            "is_domain": false,
            {{(isAdminProject is null ? "" : $"\"is_admin_project\": {(isAdminProject.Value ? "true" : "false")},")}}
            "roles": [{"id": "51cc68287d524c759f47c811e6463340", "name": "admin"}, {"id": "9fe2ff9ee4384b1894a90878d3e92bab", "name": "member"}],
            "catalog": [
              {"type": "identity", "name": "keystone", "id": "c1",
               "endpoints": [{"id": "e1", "interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "{{baseUrl}}/identity/v3"}]},
              {"type": "compute", "name": "nova", "id": "c2",
               "endpoints": [
                 {"id": "e2", "interface": "internal", "region": "RegionOne", "region_id": "RegionOne", "url": "{{baseUrl}}/internal/compute/v2.1"},
                 {"id": "e3", "interface": "public", "region": "RegionTwo", "region_id": "RegionTwo", "url": "{{baseUrl}}/r2/compute/v2.1"},
                 {"id": "e4", "interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "{{baseUrl}}/compute/v2.1"}]},
              {"type": "volumev3", "name": "cinderv3", "id": "c3",
               "endpoints": [
                 {"id": "e5", "interface": "public", "region": "RegionTwo", "region_id": "RegionTwo", "url": "{{baseUrl}}/r2/volume/v3/{{ProjectId}}"},
                 {"id": "e6", "interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "{{baseUrl}}/volume/v3/{{ProjectId}}"}]},
              {"type": "image", "name": "glance", "id": "c4",
               "endpoints": [{"id": "e7", "interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "{{baseUrl}}/image"}]},
              {"type": "network", "name": "neutron", "id": "c5",
               "endpoints": [{"id": "e8", "interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "{{baseUrl}}/network"}]}
            ]
          }
        }
        """;
}
