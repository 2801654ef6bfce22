using System.Text.Json;
using System.Text.Json.Nodes;
using Draas.Simulators.OpenStack;

namespace Draas.Simulators.Lab;

/// <summary>The files that point clients at a running lab: the OpenStack simulator's own <c>clouds.yaml</c>,
/// and its <c>endpoints.json</c> with a <c>flasharray</c> section added (each array's URL, token, site,
/// Cinder backend and replication peer).</summary>
public static class LabConfigFiles
{
    public static string EndpointsJson(DrLab lab)
    {
        var root = JsonNode.Parse(SimConfigFiles.EndpointsJson(lab.OpenStack))!.AsObject();
        root["flasharray"] = new JsonObject
        {
            ["base_url"] = lab.FlashArray.BaseUrl.ToString(),
            ["admin_url"] = lab.FlashArrayAdminUrl.ToString(),
            ["arrays"] = new JsonArray([.. lab.Sites.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.ArrayName,
                ["url"] = s.ArrayUrl.ToString(),
                ["api_token"] = s.ApiToken,
                ["site"] = s.Name,
                ["cinder_backend"] = s.CinderBackend,
                ["replication_peers"] = new JsonArray([.. lab.Sites.Where(o => o != s).Select(o => (JsonNode)o.ArrayName)]),
            })]),
        };
        root["clock"] = new JsonObject
        {
            ["now"] = lab.Clock.GetUtcNow().ToString("O"),
            ["acceleration"] = lab.Clock.Acceleration,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public static async Task WriteAsync(DrLab lab, string directory, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        // Both files hold secrets (passwords, array tokens): readable by their owner only.
        await WritePrivateAsync(Path.Combine(directory, "clouds.yaml"), SimConfigFiles.CloudsYaml(lab.OpenStack), cancellationToken).ConfigureAwait(false);
        await WritePrivateAsync(Path.Combine(directory, "endpoints.json"), EndpointsJson(lab), cancellationToken).ConfigureAwait(false);
    }

    private static async Task WritePrivateAsync(string path, string text, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
