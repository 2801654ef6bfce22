using System.Text.Json.Nodes;
using Draas.Domain.Protection;

namespace Draas.Api.V1;

// A plan's captured manifests: the list (without content), one manifest with its content, the diff between two,
// and the answer to a capture request.

public sealed record ManifestSummary(int Sequence, DateTimeOffset CapturedAt, string ContentHash);
public sealed record ManifestList(IEnumerable<ManifestSummary> Manifests);

public sealed record ManifestView(int Sequence, DateTimeOffset CapturedAt, string ContentHash, JsonNode? Content)
{
    public static ManifestView Of(Manifest m) => new(m.Sequence, m.CapturedAt, m.ContentHash, JsonNode.Parse(m.Content));
}

/// <summary>One manifest; with <c>?diff=N</c> the answer is a <see cref="ManifestDiffEnvelope"/> instead.</summary>
public sealed record ManifestEnvelope(ManifestView Manifest);

public sealed record ManifestDiff(int From, int To, JsonObject Changes);
public sealed record ManifestDiffEnvelope(ManifestDiff Diff);

public sealed record CaptureRequested(Guid PlanId, string JobId);
public sealed record CaptureEnvelope(CaptureRequested Capture);
