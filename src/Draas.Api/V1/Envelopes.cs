using System.Text.Json.Nodes;

namespace Draas.Api.V1;

// The bodies the API answers with, as records: what the handlers write is what the OpenAPI document
// describes (snake_case on the wire: "site", "sites_links").

public sealed record SiteEnvelope(SiteView Site);
public sealed record SiteList(IEnumerable<SiteView> Sites, JsonArray SitesLinks);

public sealed record ArrayEnvelope(ArrayView Array);
public sealed record ArrayList(IEnumerable<ArrayView> Arrays, JsonArray ArraysLinks);

public sealed record ProtectionEnvelope(ProtectionView Protection);
public sealed record ProtectionList(IEnumerable<ProtectionView> Protections, JsonArray ProtectionsLinks);

public sealed record ProjectMappingEnvelope(ProjectMappingView ProjectMapping);
public sealed record ProjectMappingList(IEnumerable<ProjectMappingView> ProjectMappings, JsonArray ProjectMappingsLinks);

public sealed record PlanEnvelope(PlanView Plan);
public sealed record PlanList(IEnumerable<PlanView> Plans, JsonArray PlansLinks);
