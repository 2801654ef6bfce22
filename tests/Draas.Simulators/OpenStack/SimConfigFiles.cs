using System.Text;
using System.Text.Json;
using Draas.Simulators.OpenStack.Admin;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack;

/// <summary>The files that point a client at a running simulator: <c>clouds.yaml</c> (one cloud per site
/// with admin credentials, plus <c>SITE-demo</c> with the member's) for the openstack CLI and
/// <c>endpoints.json</c> with every endpoint and the admin API.</summary>
public static class SimConfigFiles
{
    public static string CloudsYaml(OpenStackSimulator sim)
    {
        var yaml = new StringBuilder("# Written by draas-sim: the OpenStack simulator's sites. Loopback only.\nclouds:\n");
        foreach (var site in sim.Sites)
        {
            Cloud(yaml, site.Name, site.Admin);
            Cloud(yaml, site.Name + "-demo", site.Demo);
        }
        return yaml.ToString();
    }

    private static void Cloud(StringBuilder yaml, string name, SiteCredentials c)
    {
        yaml.Append($"  {Q(name)}:\n")
            .Append("    auth:\n")
            .Append($"      auth_url: {Q(c.AuthUrl)}\n")
            .Append($"      username: {Q(c.Username)}\n")
            .Append($"      password: {Q(c.Password)}\n")
            .Append($"      project_name: {Q(c.ProjectName)}\n")
            .Append($"      user_domain_name: {Q(c.UserDomainName)}\n")
            .Append($"      project_domain_name: {Q(c.ProjectDomainName)}\n")
            .Append($"    region_name: {Q(c.Region)}\n")
            .Append("    interface: public\n")
            .Append("    identity_api_version: 3\n");
    }

    /// <summary>YAML double-quoted scalar; JSON string escaping is a valid subset of it.</summary>
    private static string Q(string s) => JsonSerializer.Serialize(s);

    public static string EndpointsJson(OpenStackSimulator sim) => JsonSerializer.Serialize(new
    {
        openstack = new
        {
            base_url = sim.BaseUrl,
            admin_url = sim.AdminUrl,
            sites = sim.Sites.Select(SimAdminApi.Describe),
        },
    }, new JsonSerializerOptions(SimJson.Options) { WriteIndented = true });

    public static async Task WriteAsync(OpenStackSimulator sim, string directory, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var clouds = Path.Combine(directory, "clouds.yaml");
        await File.WriteAllTextAsync(clouds, CloudsYaml(sim), cancellationToken);
        // The file holds passwords: readable by its owner only, like a real clouds.yaml should be.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(clouds, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(Path.Combine(directory, "endpoints.json"), EndpointsJson(sim), cancellationToken);
    }
}
