namespace Draas.Workflows.Hooks;

/// <summary>The plan's hook <paramref name="Hook"/> (its index: the URL's secret stays in the plan) and where it runs.</summary>
public sealed record WebhookInput(int Hook, string? At, string Url, int Timeout = 300, string? OnError = null, bool Signed = false);

/// <summary>The receiver's answer, or (with <c>on_error: continue</c>) why the call failed.</summary>
public sealed record WebhookOutput(string Url, int? Status = null, int? AnsweredInMs = null, string? Error = null, string? OnError = null, bool Signed = false);
