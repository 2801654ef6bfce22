using Draas.Tests.Support;

namespace Draas.Tests.Cli;

/// <summary>
/// An operator reaches the service with draasctl the way they reach any OpenStack service: OS_*
/// variables, a clouds.yaml profile, an application credential, or a token and an endpoint.
/// </summary>
[TestFixture]
public sealed class DraasctlAuthTests
{
    private RunningService _service = null!;
    private string _dir = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _service = await RunningService.StartAsync();
        _service.Keystone.AcceptOperator(_service.BaseAddress);
        await _service.SendAsync(HttpMethod.Post, "/v1/sites", KeystoneStandIn.AdminToken, Api.SitesApiTests.SiteBody("auth-site"));
        _dir = Directory.CreateTempSubdirectory("draasctl-auth-").FullName;
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _service.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string CloudsYaml(string name, string body)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, body);
        return path;
    }

    private string OpsCloud(string cloud = "dr", string password = OperatorKeystone.Password) => $"""
        clouds:
          {cloud}:
            auth:
              auth_url: {_service.Keystone.Url}
              username: {OperatorKeystone.User}
              password: {password}
              project_name: admin
              user_domain_name: Default
              project_domain_name: Default
            region_name: RegionOne
            interface: public
        """;

    [Test]
    public async Task With_OS_variables_the_operator_logs_in_with_a_password_and_finds_the_service_in_the_catalog()
    {
        var sites = await OperatorKeystone.PasswordShell(_service.Keystone).JsonAsync("site", "list");

        Assert.That(sites.AsArray().Select(s => s!["name"]!.GetValue<string>()), Does.Contain("auth-site"));
        Assert.That(_service.Keystone.ValidationCount(OperatorKeystone.Token), Is.GreaterThan(0), "the service validated the token draasctl got");
    }

    [Test]
    public async Task A_clouds_yaml_named_by_OS_CLIENT_CONFIG_FILE_and_OS_CLOUD_is_enough()
    {
        var file = CloudsYaml("explicit/clouds.yaml", OpsCloud("dr-explicit"));

        var result = await new Draasctl().With("OS_CLIENT_CONFIG_FILE", file).With("OS_CLOUD", "dr-explicit").OkAsync("site", "list");

        Assert.That(result.Out, Does.Contain("auth-site"));
    }

    [Test]
    public async Task The_usual_places_are_searched_the_working_directory_first_then_the_home_config()
    {
        var home = Path.Combine(_dir, "home");
        CloudsYaml("home/.config/openstack/clouds.yaml", OpsCloud("from-home"));
        var cwd = Path.Combine(_dir, "cwd");
        CloudsYaml("cwd/clouds.yaml", OpsCloud("from-cwd"));

        var fromHome = await new Draasctl { WorkingDirectory = _dir }.With("HOME", home).RunAsync("--os-cloud", "from-home", "site", "list");
        var fromCwd = await new Draasctl { WorkingDirectory = cwd }.With("HOME", home).RunAsync("--os-cloud", "from-cwd", "site", "list");
        var shadowed = await new Draasctl { WorkingDirectory = cwd }.With("HOME", home).RunAsync("--os-cloud", "from-home", "site", "list");

        Assert.That(fromHome.Exit, Is.EqualTo(0), fromHome.ToString());
        Assert.That(fromCwd.Exit, Is.EqualTo(0), fromCwd.ToString());
        Assert.That(shadowed.Exit, Is.EqualTo(2), "./clouds.yaml is the file read when it exists, as in the openstack CLI");
        Assert.That(shadowed.Err.Trim(), Is.EqualTo($"draasctl: Cloud 'from-home' is not in {Path.Combine(cwd, "clouds.yaml")}."));
    }

    [Test]
    public async Task OS_PASSWORD_completes_a_clouds_yaml_profile_that_keeps_no_secret()
    {
        var file = CloudsYaml("nosecret/clouds.yaml", OpsCloud("dr", password: "placeholder").Replace("      password: placeholder\n", ""));

        var result = await new Draasctl().With("OS_CLIENT_CONFIG_FILE", file).With("OS_CLOUD", "dr").With("OS_PASSWORD", OperatorKeystone.Password).OkAsync("site", "list");

        Assert.That(result.Out, Does.Contain("auth-site"));
    }

    [Test]
    public async Task A_secure_yaml_beside_clouds_yaml_supplies_the_password()
    {
        var file = CloudsYaml("withsecure/clouds.yaml", OpsCloud("dr", password: "placeholder").Replace("      password: placeholder\n", ""));
        CloudsYaml("withsecure/secure.yaml", $"clouds:\n  dr:\n    auth:\n      password: {OperatorKeystone.Password}\n");

        var result = await new Draasctl().With("OS_CLIENT_CONFIG_FILE", file).OkAsync("--os-cloud", "dr", "site", "list");

        Assert.That(result.Out, Does.Contain("auth-site"));
    }

    [Test]
    public async Task An_application_credential_logs_in_without_user_or_project()
    {
        var result = await new Draasctl()
            .With("OS_AUTH_URL", _service.Keystone.AuthUrl)
            .With("OS_AUTH_TYPE", "v3applicationcredential")
            .With("OS_APPLICATION_CREDENTIAL_ID", OperatorKeystone.AppCredId)
            .With("OS_APPLICATION_CREDENTIAL_SECRET", OperatorKeystone.AppCredSecret)
            .OkAsync("site", "list");

        Assert.That(result.Out, Does.Contain("auth-site"));
        Assert.That(_service.Keystone.ValidationCount(OperatorKeystone.AppCredToken), Is.GreaterThan(0));
    }

    [Test]
    public async Task A_token_and_an_endpoint_skip_Keystone_altogether()
    {
        var result = await new Draasctl().With("OS_TOKEN", KeystoneStandIn.AdminToken).OkAsync("--endpoint", _service.BaseAddress.ToString(), "site", "list");
        var viaEnv = await new Draasctl().With("OS_TOKEN", KeystoneStandIn.AdminToken).With("DRAAS_ENDPOINT", _service.BaseAddress + "v1").OkAsync("site", "list");

        Assert.That(result.Out, Does.Contain("auth-site"));
        Assert.That(viaEnv.Out, Does.Contain("auth-site"));
    }

    [Test]
    public async Task A_token_with_an_auth_url_finds_the_service_in_the_tokens_own_catalog()
    {
        var result = await new Draasctl().With("OS_TOKEN", OperatorKeystone.Token).With("OS_AUTH_URL", _service.Keystone.AuthUrl).OkAsync("site", "list");
        var alone = await new Draasctl().With("OS_TOKEN", OperatorKeystone.Token).RunAsync("site", "list");

        Assert.That(result.Out, Does.Contain("auth-site"));
        Assert.That(alone.Exit, Is.EqualTo(2));
        Assert.That(alone.Err.Trim(), Is.EqualTo("draasctl: OS_TOKEN needs --endpoint (or DRAAS_ENDPOINT), or OS_AUTH_URL to find the service in the catalog."));
    }

    [Test]
    public async Task Without_credentials_draasctl_says_so_in_one_line_and_exits_2()
    {
        var result = await new Draasctl().RunAsync("site", "list");

        Assert.That(result.Exit, Is.EqualTo(2));
        Assert.That(result.Out, Is.Empty);
        Assert.That(result.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Err, Does.StartWith("draasctl: No credentials: set OS_CLOUD"));
    }

    [Test]
    public async Task A_wrong_password_is_the_callers_mistake_exit_2_with_Keystones_request_id()
    {
        var result = await OperatorKeystone.PasswordShell(_service.Keystone).With("OS_PASSWORD", "wrong").RunAsync("site", "list");

        Assert.That(result.Exit, Is.EqualTo(2), result.ToString());
        Assert.That(result.Err.Trim(), Is.EqualTo($"draasctl: Keystone at {_service.Keystone.AuthUrl} refused the credentials from OS_* variables (401, request id req-keystone-refused)."));
    }

    [Test]
    public async Task A_rejected_token_is_exit_2_with_the_services_request_id()
    {
        var result = await new Draasctl().With("OS_TOKEN", "gAAAAAnot-a-token").RunAsync("--endpoint", _service.BaseAddress.ToString(), "site", "list");

        Assert.That(result.Exit, Is.EqualTo(2), result.ToString());
        Assert.That(result.Err, Does.Match(@"^draasctl: .+ \(401, request id req-[0-9a-f-]+\)\.\n$"));
    }

    [Test]
    public async Task Missing_pieces_of_a_login_are_named_by_their_variable()
    {
        var noUser = await new Draasctl().With("OS_AUTH_URL", _service.Keystone.AuthUrl).With("OS_PASSWORD", "x").RunAsync("site", "list");
        var noCloud = await new Draasctl().With("OS_CLIENT_CONFIG_FILE", CloudsYaml("some/clouds.yaml", OpsCloud("one"))).RunAsync("--os-cloud", "two", "site", "list");

        Assert.That(noUser.Exit, Is.EqualTo(2));
        Assert.That(noUser.Err, Does.StartWith("draasctl: The credentials from OS_* variables are incomplete: OS_USERNAME:"));
        Assert.That(noCloud.Exit, Is.EqualTo(2));
        Assert.That(noCloud.Err, Does.Contain("Cloud 'two' is not in"));
    }

    [Test]
    public async Task A_catalog_without_the_service_asks_for_an_endpoint()
    {
        await using var bare = await RunningService.StartAsync(sharedDatabase: _service.Database);
        bare.Keystone.AcceptOperator(bare.BaseAddress, withCatalogEntry: false);

        var result = await OperatorKeystone.PasswordShell(bare.Keystone).RunAsync("site", "list");
        var withEndpoint = await OperatorKeystone.PasswordShell(bare.Keystone).OkAsync("site", "list", "--endpoint", bare.BaseAddress.ToString());

        Assert.That(result.Exit, Is.EqualTo(2));
        Assert.That(result.Err.Trim(), Is.EqualTo("draasctl: Keystone's catalog has no public 'disaster-recovery' endpoint in region RegionOne; pass --endpoint or set DRAAS_ENDPOINT."));
        Assert.That(withEndpoint.Out, Does.Contain("auth-site"));
    }
}
