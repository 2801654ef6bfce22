using Draas.Domain.Protection;
using Draas.Domain.Sites;
using Draas.Domain.Time;

namespace Draas.Workflows.Protection;

/// <summary>What a plan's status must say besides its figures: clocks that disagree, so its lag cannot be trusted.</summary>
public static class PlanWarnings
{
    /// <param name="groups">The plan's replication groups as the monitor last read them.</param>
    /// <param name="arrayNames">Array names by id.</param>
    /// <param name="sites">The protection's sites (primary and recovery) with their last check.</param>
    public static List<string> For(IEnumerable<ReplicationGroup> groups, IReadOnlyDictionary<Guid, string> arrayNames, IEnumerable<Site> sites)
    {
        var warnings = new List<string>();
        foreach (var group in groups)
        {
            if (group is { LatestRecoveryPointAt: { } point, CheckedAt: { } seen } && ClockSkew.Ahead(point, seen) is { } ahead)
                warnings.Add(ClockSkew.ArrayAhead(arrayNames.GetValueOrDefault(group.SourceArrayId) ?? group.SourceArrayId.ToString(), point, ahead));
        }
        foreach (var site in sites)
        {
            if (site.LastCheck is { ClockSkewSeconds: var skew } && ClockSkew.Significant(skew))
                warnings.Add(ClockSkew.SiteSkew(site.Name, skew!.Value));
        }
        return warnings;
    }
}
