using Draas.Api.Auth;
using Draas.Api.Configuration;
using Draas.Api.Errors;
using Draas.Api.Health;
using Draas.Api.Http;
using Draas.Api.Jobs;
using Draas.Api.Policy;
using Draas.Api.V1;
using Draas.Api.WebConsole;
using Draas.Data;
using Draas.Data.Secrets;
using Draas.OpenStack.Identity;
using Draas.Storage;
using Draas.Workflows.Notifications;
using Draas.Workflows.Protection;
using Draas.Workflows.Runs;
using Draas.Workflows.Runs.Steps;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Draas.Api.Hosting;

/// <summary>Builds the service process: configuration, database, jobs, and (for the api role) the REST API.</summary>
public static class ServiceHost
{
    public sealed record Settings(ServiceOptions Service, DatabaseOptions Database, KeystoneAuthTokenOptions Keystone, JobsOptions Jobs, ApiOptions Api, SecretsOptions Secrets, MasterKey? MasterKey);

    /// <summary>Reads and checks every section; a bad configuration stops here with the key's name.</summary>
    public static Settings ReadSettings(IConfiguration configuration, string? roleOverride = null)
    {
        var service = configuration.Bind<ServiceOptions>(ServiceOptions.Section);
        if (roleOverride is not null) service.Role = roleOverride;
        var secrets = configuration.Bind<SecretsOptions>(SecretsOptions.Section);
        var settings = new Settings(
            service,
            configuration.Bind<DatabaseOptions>(DatabaseOptions.Section),
            configuration.Bind<KeystoneAuthTokenOptions>(KeystoneAuthTokenOptions.Section),
            configuration.Bind<JobsOptions>(JobsOptions.Section),
            configuration.Bind<ApiOptions>(ApiOptions.Section),
            secrets,
            secrets.Load());
        var problems = service.Validate().Concat(settings.Database.Validate()).Concat(settings.Jobs.Validate()).Concat(settings.Api.Validate())
            .Concat(configuration.Bind<NotificationsOptions>(NotificationsOptions.Section).Validate())
            .Concat(configuration.Bind<TelemetryOptions>(TelemetryOptions.Section).Validate());
        if (service.Role != "worker") problems = problems.Concat(settings.Keystone.Validate());
        DraasConfiguration.ThrowIfInvalid(problems);
        return settings;
    }

    /// <param name="configureServices">Replaces registrations after the defaults (tests run the service on a simulated clock).</param>
    /// <param name="storagePlugins">Offers the storage plugins this build includes (the host project's choice); <c>[storage] plugins</c> picks among them.</param>
    public static WebApplication Build(string[] hostArgs, string? configFile, string? role, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? configureServices = null,
        Action<IServiceCollection>? storagePlugins = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = hostArgs, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddDraasSources(configFile, overrides);
        var settings = ReadSettings(builder.Configuration, role);

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(settings.Service.Debug ? LogLevel.Debug : LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        // EF logs the first start's probe of the missing migrations table as an error; failed
        // commands that matter surface as exceptions and are logged where they are handled.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Hangfire", LogLevel.Warning);

        var urls = new List<string> { $"http://{settings.Api.BindHost}:{settings.Api.BindPort}" };
        if (settings.Api.HasMetricsListener) urls.Add($"http://{settings.Api.MetricsBindHost}:{settings.Api.MetricsBindPort}");
        builder.WebHost.UseUrls([.. urls]);
        // Kestrel's own limit sits just above ours so JsonBody answers 413 itself with a fault body.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.Api.MaxBodyBytes + 1);

        var services = builder.Services;
        services.AddSingleton(settings.Service);
        services.AddSingleton(settings.Database);
        services.AddSingleton(settings.Keystone);
        services.AddSingleton(settings.Jobs);
        services.AddSingleton(settings.Api);
        var notifications = builder.Configuration.Bind<NotificationsOptions>(NotificationsOptions.Section);
        var telemetry = builder.Configuration.Bind<TelemetryOptions>(TelemetryOptions.Section);
        services.AddSingleton(notifications);
        services.AddDraasTracing(telemetry);
        services.AddSingleton(ProbeClient.From(builder.Configuration["probe:secret"], builder.Configuration["probe:secret_file"]));
        services.AddSingleton(TimeProvider.System);
        // Two connection pools: API requests draw on one bounded by [api] max_concurrent_requests, everything else
        // (the job workers, the watchdog, the wait poller) on another, so readers never starve a failover's steps.
        services.AddHttpContextAccessor();
        var apiPool = DatabaseSetup.Pool(settings.Database.Connection, "api", settings.Api.MaxConcurrentRequests + 4);
        var jobsPool = DatabaseSetup.Pool(settings.Database.Connection, "jobs", null);
        services.AddDbContext<DraasDbContext>((sp, o) => o.UseDraasPostgres(sp.GetRequiredService<IHttpContextAccessor>().HttpContext is null ? jobsPool : apiPool),
            ServiceLifetime.Scoped, ServiceLifetime.Scoped);
        SecretProtector.AddTo(services, settings.MasterKey);
        services.AddMemoryCache(o => o.SizeLimit = 100_000);
        services.AddSingleton(_ => PolicyEnforcer.FromFile(settings.Api.PolicyFile));
        services.AddSingleton<ITokenValidator>(sp => new KeystoneTokenValidator(
            new KeystoneSessionOptions
            {
                AuthUrl = settings.Keystone.AuthUrl,
                Username = settings.Keystone.Username,
                UserDomainName = settings.Keystone.UserDomainName,
                Password = settings.Keystone.Password,
                ProjectName = settings.Keystone.ProjectName,
                ProjectDomainName = settings.Keystone.ProjectDomainName,
                RequestTimeout = TimeSpan.FromSeconds(settings.Keystone.HttpConnectTimeout),
            },
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        storagePlugins?.Invoke(services);
        services.AddStoragePluginCatalog(builder.Configuration);
        services.AddDraasJobs(settings.Database.Connection, settings.Jobs, settings.Service.RunsWorkers);
        services.AddSingleton(new DatabaseRole(settings.Database.Connection));
        services.AddSingleton<ActiveRoleService>();
        services.AddHostedService(sp => sp.GetRequiredService<ActiveRoleService>());
        // The API describes itself from its endpoints (GET /v1/openapi.json), so the document cannot drift from the routes.
        // Schemas in the names the API reads and writes (ApiJson, JsonBody): snake_case, enums as words.
        services.ConfigureHttpJsonOptions(o => ApiJson.Describe(o.SerializerOptions));
        services.AddOpenApi("v1", o => o.DescribeRequestBodies().AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "DRaaS Service API";
            document.Info.Description = "Disaster recovery as a service for OpenStack. Every call but / and /healthz needs an X-Auth-Token from Keystone; errors are OpenStack-style fault bodies.";
            return Task.CompletedTask;
        }));
        if (settings.Service.RunsApi) services.AddDraasConsole(settings.Keystone);
        configureServices?.Invoke(services);

        var app = builder.Build();
        try
        {
            app.Services.GetRequiredService<StoragePluginCatalog>(); // a bad [storage] section stops start-up, not the first run
        }
        catch (StorageConfigurationException e)
        {
            throw new ConfigurationException(e.Message);
        }
        var startup = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Draas.Startup");
        if (settings.MasterKey is null)
            startup.LogWarning("No [secrets] master_key_file: the key ring that encrypts stored credentials is kept in the database unencrypted, so a database dump reveals them");
        else if (settings.Secrets.PermissionProblem() is { } problem)
            startup.LogWarning("{Problem}", problem);
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<ErrorMiddleware>();
        app.UseMiddleware<InputRulesMiddleware>();
        app.UseMiddleware<MetricsListener>();
        if (settings.Service.RunsApi)
        {
            app.UseMiddleware<ApiAdmission>();
            app.UseMiddleware<KeystoneAuthMiddleware>();
            var policy = app.Services.GetRequiredService<PolicyEnforcer>();
            app.UseWhen(c => c.Request.Path == MetricsListener.Path && !MetricsListener.IsOpenScrape(c), metrics => metrics.Use(next => c =>
            {
                policy.Enforce(c, "draas:metrics:get");
                return next(c);
            }));
            app.UseMiddleware<StandbyWriteGate>();
            if (settings.Jobs.Dashboard)
            {
                app.UseHangfireDashboard("/hangfire", new DashboardOptions
                {
                    Authorization = [new AdminDashboardFilter(app.Services.GetRequiredService<PolicyEnforcer>())],
                    DisplayStorageConnectionString = false,
                }, app.Services.GetRequiredService<JobStorage>());
            }
            VersionsApi.Map(app);
            var v1 = app.MapGroup("/v1");
            SitesApi.Map(v1.MapGroup("").WithTags("Sites"));
            ArraysApi.Map(v1.MapGroup("").WithTags("Arrays"));
            ProtectionsApi.Map(v1.MapGroup("").WithTags("Protections"));
            ProjectMappingsApi.Map(v1.MapGroup("").WithTags("Project mappings"));
            PlansApi.Map(v1.MapGroup("").WithTags("Plans"));
            ManifestsApi.Map(v1.MapGroup("").WithTags("Plans"));
            PlanStatusApi.Map(v1.MapGroup("").WithTags("Plans"));
            EventsApi.Map(v1.MapGroup("").WithTags("Events"));
            NotificationsApi.Map(v1.MapGroup("").WithTags("Notifications"));
            RunsApi.Map(v1.MapGroup("").WithTags("Runs"));
            RunbookApi.Map(v1.MapGroup("").WithTags("Protections"));
            app.MapOpenApi("/v1/openapi.json");
            app.MapDraasConsole();
        }
        HealthApi.Map(app);
        // GET only: a POST is a 405 like on every other route.
        RunGauges.Register(app.Services);
        app.MapMetrics(MetricsListener.Path).WithMetadata(new Microsoft.AspNetCore.Routing.HttpMethodMetadata(["GET"]));
        return app;
    }

    /// <summary>
    /// Checks the database's role and starts serving. Against a writable database the service is active:
    /// migrations (when configured to), job servers, recurring jobs. Against a standby it serves reads only
    /// and keeps checking (ActiveRoleService).
    /// </summary>
    public static async Task StartAsync(WebApplication app, CancellationToken ct)
    {
        await app.Services.GetRequiredService<ActiveRoleService>().StartupAsync(ct);
        await app.StartAsync(ct);
    }
}
