using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Draas.Data.Secrets;
using Draas.Workflows.Notifications;
using Draas.Workflows.Runs;
using Draas.Workflows.Runs.Steps;

namespace Draas.Workflows.Hooks;

/// <summary>
/// Calls an operator's webhook at its place in the run (Ansible AWX, Rundeck, their own scripts): a signed
/// JSON body naming the run, the step and the servers with their recovered ids and addresses. A 2xx in time
/// is success. A refused connection, 408, 429 or 5xx is transient and retried like any step; any other answer,
/// or no answer within the hook's timeout, is final (calling again could repeat work the receiver began).
/// With <c>on_error: continue</c> a final failure is recorded on the step and the run goes on.
/// </summary>
public sealed class WebhookStep(SecretProtector secrets) : StepHandler<WebhookInput, WebhookOutput>
{
    // One pooled client for every hook; each call's own timeout is the hook's.
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    public override string Kind => HookPlanner.WebhookStep;

    public override IReadOnlyList<string> ReadsOutputsOf => [RunPlanner.BootServer];

    public override async Task<WebhookOutput> ExecuteAsync(StepContext c, WebhookInput input, CancellationToken ct)
    {
        var (index, url, timeout) = (input.Hook, input.Url, input.Timeout);
        var continueOnError = input.OnError == "continue";
        var stored = c.Plan.Hooks is null ? null : JsonNode.Parse(c.Plan.Hooks)!.AsArray().ElementAtOrDefault(index) as JsonObject;
        if (stored?["url"]?.GetValue<string>() != url)
            throw new StepFailedException($"the plan's hook {index} changed since the run was planned (it no longer calls {url})");
        var secret = stored["secret_ciphertext"]?.GetValue<string>() is { } cipher ? secrets.Unprotect(cipher) : null;

        var body = RunJson.Serialize(Body(c, input));
        var timestamp = c.Clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (secret is not null) request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body));
        // The same step calls with the same key on every attempt: a receiver can tell a retry from a new call.
        request.Headers.Add("Idempotency-Key", c.Step.Id.ToString());

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(timeout));
        var started = c.Clock.GetTimestamp();
        string failure;
        bool transient;
        try
        {
            using var response = await Http.SendAsync(request, limit.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
                return new WebhookOutput(url, status, (int)c.Clock.GetElapsedTime(started).TotalMilliseconds, Signed: secret is not null);
            var text = await response.Content.ReadAsStringAsync(limit.Token);
            failure = $"the webhook {url} answered {status}: {(text.Length > 300 ? text[..300] : text)}".TrimEnd(' ', ':');
            transient = response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status >= 500;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            failure = $"the webhook {url} did not answer within its timeout of {timeout} s";
            transient = false;
        }
        catch (HttpRequestException e)
        {
            failure = $"the webhook {url} could not be called: {e.Message}";
            transient = true;
        }
        var retried = transient && c.Step.Attempts < c.Step.MaxAttempts;
        if (continueOnError && !retried)
            return new WebhookOutput(url, Error: failure, OnError: "continue", Signed: secret is not null);
        throw new StepFailedException(failure) { Retryable = transient };
    }

    /// <summary>What the receiver learns: the run, this step, and each server of the plan with where it runs now.</summary>
    private static object Body(StepContext c, WebhookInput input)
    {
        var booted = c.Outputs<BootServerOutput>(RunPlanner.BootServer).ToDictionary(o => o.Target ?? "", o => o.Output);
        return new
        {
            @event = "run.hook",
            run = new
            {
                id = c.Run.Id,
                kind = c.Run.Kind,
                plan_id = c.Plan.Id,
                plan = c.Plan.Name,
                protection_id = c.Protection.Id,
                project_id = c.Run.ProjectId,
                target_project_id = c.TargetProjectId,
                recovery_point_at = c.Run.RecoveryPointAt,
            },
            step = new { id = c.Step.Id, sequence = c.Step.Sequence, at = input.At, attempt = c.Step.Attempts },
            servers = c.Manifest.Servers.OrderBy(s => s.PriorityGroup).ThenBy(s => s.Name, StringComparer.Ordinal).Select(s => new
            {
                server_id = s.Id,
                name = s.Name,
                priority_group = s.PriorityGroup,
                recovered_id = booted.GetValueOrDefault(s.Id)?.ServerId,
                addresses = booted.GetValueOrDefault(s.Id)?.Addresses,
            }),
        };
    }
}
