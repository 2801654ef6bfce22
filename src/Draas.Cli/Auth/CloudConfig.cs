using YamlDotNet.Serialization;

namespace Draas.Cli.Auth;

/// <summary>
/// Reads credentials the way the openstack CLI does: a named cloud (<c>--os-cloud</c> or
/// <c>OS_CLOUD</c>) from the first clouds.yaml found (<c>OS_CLIENT_CONFIG_FILE</c>,
/// <c>./clouds.yaml</c>, <c>~/.config/openstack/clouds.yaml</c>, <c>/etc/openstack/clouds.yaml</c>)
/// with its secrets from a secure.yaml beside it (or <c>OS_CLIENT_SECURE_FILE</c>), then any
/// <c>OS_*</c> variable set on top, then the command line on top of that.
/// </summary>
public static class CloudConfig
{
    public static IReadOnlyList<string> SearchPath(CliHost host)
    {
        var paths = new List<string>();
        if (host.Var("OS_CLIENT_CONFIG_FILE") is { } explicitFile) paths.Add(explicitFile);
        paths.Add(Path.Combine(host.WorkingDirectory, "clouds.yaml"));
        if (host.Home is { Length: > 0 } home) paths.Add(Path.Combine(home, ".config", "openstack", "clouds.yaml"));
        paths.Add("/etc/openstack/clouds.yaml");
        return paths;
    }

    /// <summary>secure.yaml holds a cloud's secrets apart from clouds.yaml, in the same places.</summary>
    public static IReadOnlyList<string> SecureSearchPath(CliHost host)
    {
        var paths = new List<string>();
        if (host.Var("OS_CLIENT_SECURE_FILE") is { } explicitFile) paths.Add(explicitFile);
        paths.AddRange(SearchPath(host).Select(p => Path.Combine(Path.GetDirectoryName(p)!, "secure.yaml")));
        return paths;
    }

    public static CloudCredentials Resolve(CliHost host, string? cloudOption, string? endpointOption, string? regionOption)
    {
        var creds = new CloudCredentials();
        var cloud = cloudOption ?? host.Var("OS_CLOUD");
        if (cloud is not null) FromCloudsYaml(host, cloud, creds);
        FromEnvironment(host, creds);
        creds.Endpoint = endpointOption ?? host.Var("DRAAS_ENDPOINT") ?? creds.Endpoint;
        creds.RegionName = regionOption ?? creds.RegionName;
        return creds;
    }

    static void FromCloudsYaml(CliHost host, string cloud, CloudCredentials creds)
    {
        var file = SearchPath(host).FirstOrDefault(File.Exists)
            ?? throw CliException.Usage($"Cloud '{cloud}' was asked for but no clouds.yaml exists ({string.Join(", ", SearchPath(host))}).");
        var root = Load(file);
        if (Map(root, "clouds") is not { } clouds || Map(clouds, cloud) is not { } entry)
            throw CliException.Usage($"Cloud '{cloud}' is not in {file}.");
        if (SecureSearchPath(host).FirstOrDefault(File.Exists) is { } secureFile
            && Map(Load(secureFile), "clouds") is { } secureClouds && Map(secureClouds, cloud) is { } secrets)
            Merge(entry, secrets);
        creds.Source = $"cloud '{cloud}' in {file}";
        var auth = Map(entry, "auth") ?? [];
        creds.AuthUrl = Text(auth, "auth_url");
        creds.AuthType = Text(entry, "auth_type");
        creds.Username = Text(auth, "username");
        creds.UserId = Text(auth, "user_id");
        creds.Password = Text(auth, "password");
        // clouds.yaml's domain_name/domain_id stand for both domains unless one is named on its own.
        creds.UserDomainName = Text(auth, "user_domain_name") ?? Text(auth, "domain_name");
        creds.UserDomainId = Text(auth, "user_domain_id") ?? Text(auth, "domain_id");
        creds.ProjectName = Text(auth, "project_name") ?? Text(auth, "tenant_name");
        creds.ProjectId = Text(auth, "project_id") ?? Text(auth, "tenant_id");
        creds.ProjectDomainName = Text(auth, "project_domain_name") ?? Text(auth, "domain_name");
        creds.ProjectDomainId = Text(auth, "project_domain_id") ?? Text(auth, "domain_id");
        creds.ApplicationCredentialId = Text(auth, "application_credential_id");
        creds.ApplicationCredentialName = Text(auth, "application_credential_name");
        creds.ApplicationCredentialSecret = Text(auth, "application_credential_secret");
        creds.Token = Text(auth, "token");
        creds.RegionName = Text(entry, "region_name");
        creds.Interface = Text(entry, "interface") ?? creds.Interface;
        creds.Endpoint = Text(entry, "disaster_recovery_endpoint_override");
    }

    static void FromEnvironment(CliHost host, CloudCredentials c)
    {
        c.AuthUrl = host.Var("OS_AUTH_URL") ?? c.AuthUrl;
        c.AuthType = host.Var("OS_AUTH_TYPE") ?? c.AuthType;
        c.Username = host.Var("OS_USERNAME") ?? c.Username;
        c.UserId = host.Var("OS_USER_ID") ?? c.UserId;
        c.Password = host.Var("OS_PASSWORD") ?? c.Password;
        c.UserDomainName = host.Var("OS_USER_DOMAIN_NAME") ?? c.UserDomainName;
        c.UserDomainId = host.Var("OS_USER_DOMAIN_ID") ?? c.UserDomainId;
        c.ProjectName = host.Var("OS_PROJECT_NAME") ?? host.Var("OS_TENANT_NAME") ?? c.ProjectName;
        c.ProjectId = host.Var("OS_PROJECT_ID") ?? host.Var("OS_TENANT_ID") ?? c.ProjectId;
        c.ProjectDomainName = host.Var("OS_PROJECT_DOMAIN_NAME") ?? c.ProjectDomainName;
        c.ProjectDomainId = host.Var("OS_PROJECT_DOMAIN_ID") ?? c.ProjectDomainId;
        c.ApplicationCredentialId = host.Var("OS_APPLICATION_CREDENTIAL_ID") ?? c.ApplicationCredentialId;
        c.ApplicationCredentialName = host.Var("OS_APPLICATION_CREDENTIAL_NAME") ?? c.ApplicationCredentialName;
        c.ApplicationCredentialSecret = host.Var("OS_APPLICATION_CREDENTIAL_SECRET") ?? c.ApplicationCredentialSecret;
        c.Token = host.Var("OS_TOKEN") ?? c.Token;
        c.RegionName = host.Var("OS_REGION_NAME") ?? c.RegionName;
        c.Interface = host.Var("OS_INTERFACE") ?? c.Interface;
        if (host.Var("OS_CLOUD") is null && host.Var("OS_AUTH_URL") is null && host.Var("OS_TOKEN") is not null) c.Source = "OS_TOKEN";
    }

    static Dictionary<object, object?> Load(string file)
    {
        try
        {
            return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(File.ReadAllText(file)) ?? [];
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw CliException.Usage($"{file} is not valid YAML ({e.Start}: {e.InnerException?.Message ?? e.Message}).");
        }
    }

    /// <summary>secure.yaml's values win, key by key, at every depth.</summary>
    static void Merge(Dictionary<object, object?> into, Dictionary<object, object?> from)
    {
        foreach (var (key, value) in from)
        {
            if (value is Dictionary<object, object?> inner && into.TryGetValue(key, out var existing) && existing is Dictionary<object, object?> target) Merge(target, inner);
            else into[key] = value;
        }
    }

    static Dictionary<object, object?>? Map(Dictionary<object, object?> map, string key) =>
        map.TryGetValue(key, out var value) && value is Dictionary<object, object?> inner ? inner : null;

    static string? Text(Dictionary<object, object?> map, string key) =>
        map.TryGetValue(key, out var value) && value is not null && value.ToString() is { Length: > 0 } text ? text : null;
}
