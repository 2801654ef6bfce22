using Draas.Domain.Manifests;
using Draas.Workflows.Runs;

namespace Draas.Tests.Runs;

/// <summary>Every step of a run reads its run's manifest: parsed once per process, not once per step.</summary>
[TestFixture]
public sealed class ManifestCacheTests
{
    private static string Json(string volume) => ManifestCodec.ToJson(new ManifestContent { ProjectId = "tenant", Volumes = [new VolumeEntry { Id = volume, Name = volume }] });

    [Test]
    public void A_manifest_parsed_once_is_the_same_object_for_the_next_step()
    {
        var id = Guid.NewGuid();
        Assert.That(ManifestCache.Find(id), Is.Null, "nothing before the first step reads it");
        var first = ManifestCache.Add(id, Json("vol-a"));
        Assert.That(first.Volumes.Single().Id, Is.EqualTo("vol-a"));
        Assert.That(ManifestCache.Find(id), Is.SameAs(first));
    }

    [Test]
    public void The_cache_stays_bounded_and_keeps_the_manifest_a_run_still_reads()
    {
        var busy = Guid.NewGuid();
        ManifestCache.Add(busy, Json("busy"));
        var others = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in others)
        {
            ManifestCache.Add(id, Json(id.ToString()));
            Assert.That(ManifestCache.Find(busy), Is.Not.Null, "a manifest read at every step is not the one evicted");
        }
        Assert.That(others.Count(id => ManifestCache.Find(id) is not null), Is.LessThan(100), "old manifests go");
    }
}
