using System.Text.Json.Nodes;
using Draas.Workflows.Runs;

namespace Draas.Tests.Runs;

/// <summary>
/// The failover RTO predicted for a plan from its drills: each drill's RTO scaled by how its step work
/// changes at the plan's size today, and back-tested against the drills that followed.
/// </summary>
[TestFixture]
public sealed class RtoPredictionTests
{
    /// <summary>A drill of two volumes and one server: 60 s of volume steps, 40 s of server steps, 50 s of cleanup.</summary>
    private static RtoPrediction.Drill Drill(double rto, string state = "succeeded") => new(Guid.NewGuid(), new JsonObject
    {
        ["state"] = state,
        ["rto_seconds"] = rto,
        ["steps"] = new JsonArray(
            Step("promote_volume", 10), Step("promote_volume", 10), Step("import_volume", 20), Step("import_volume", 20),
            Step("boot_server", 30), Step("health_check", 10), Step("cleanup", 50)),
        ["recovered"] = new JsonObject
        {
            ["volumes"] = new JsonArray(new JsonObject { ["name"] = "a" }, new JsonObject { ["name"] = "b" }),
            ["servers"] = new JsonArray(new JsonObject { ["name"] = "web" }),
        },
    });

    private static JsonObject Step(string kind, double seconds) => new() { ["kind"] = kind, ["duration_seconds"] = seconds };

    [Test]
    public void APlanWithNoSuccessfulDrillHasNoPrediction()
    {
        Assert.That(RtoPrediction.For([], 2, 1), Is.Null);
        Assert.That(RtoPrediction.For([Drill(100, "failed")], 2, 1), Is.Null);
    }

    [Test]
    public void AtTheSizeOfItsDrillThePlanIsPredictedToTakeWhatTheDrillTook()
    {
        var p = RtoPrediction.For([Drill(100)], 2, 1)!;
        Assert.That(p["seconds"]!.GetValue<double>(), Is.EqualTo(100));
        Assert.That(p["from_drills"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(p["past_predictions"]!.AsArray(), Is.Empty);
        Assert.That(p["mean_abs_error_percent"], Is.Null);
    }

    [Test]
    public void TwiceTheVolumesSlowOnlyTheVolumeStepsAndCleanupDoesNotCount()
    {
        // Volume work 60 of 100 s doubles: 160 s of work for the same parallelism, so 160 s.
        var p = RtoPrediction.For([Drill(100)], 4, 1)!;
        Assert.That(p["seconds"]!.GetValue<double>(), Is.EqualTo(160));
        // Twice the servers instead: server work 40 of 100 doubles.
        Assert.That(RtoPrediction.For([Drill(100)], 2, 2)!["seconds"]!.GetValue<double>(), Is.EqualTo(140));
    }

    [Test]
    public void EachDrillIsCheckedAgainstWhatTheDrillsBeforeItPredicted()
    {
        // Newest first: the 100 s drill followed an 80 s one, which had predicted 80 s for it (20 % short).
        var newest = Drill(100);
        var p = RtoPrediction.For([newest, Drill(80), Drill(50, "failed")], 4, 1)!;
        var past = p["past_predictions"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(past["run_id"]!.GetValue<string>(), Is.EqualTo(newest.RunId.ToString()));
            Assert.That(past["predicted_seconds"]!.GetValue<double>(), Is.EqualTo(80));
            Assert.That(past["actual_seconds"]!.GetValue<double>(), Is.EqualTo(100));
            Assert.That(past["error_percent"]!.GetValue<double>(), Is.EqualTo(-20));
            Assert.That(p["mean_abs_error_percent"]!.GetValue<double>(), Is.EqualTo(20));
            // Today: the mean of both drills at twice the volumes, (160 + 128) / 2; the failed drill is not used.
            Assert.That(p["seconds"]!.GetValue<double>(), Is.EqualTo(144));
            Assert.That(p["from_drills"]!.GetValue<int>(), Is.EqualTo(2));
        });
    }
}
