using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Draas.Tests.Pure.Scenarios;

/// <summary>
/// The FlashArray simulator selects objects as Purity does (shared/reference/flasharray-rest2.md): <c>ids</c>
/// selects by id, <c>names</c> with <c>ids</c> is refused, and a PATCH or DELETE that selects nothing is refused
/// rather than applied to every volume on the array. Raw REST calls, as curl would make them.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class SelectorTests
{
    [Test]
    public async Task Ids_select_by_id_names_with_ids_and_a_change_without_a_selector_are_refused()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        await arrays.CreateVolumesAsync(arrays.A, "sel-one", "sel-two", "sel-three");
        using var http = new HttpClient { BaseAddress = new Uri(arrays.Sim.ArrayUrl("array-a") + "/api/2.4/") };
        using (var login = new HttpRequestMessage(HttpMethod.Post, "login"))
        {
            login.Headers.Add("api-token", arrays.A.ApiToken);
            using var answer = await http.SendAsync(login);
            http.DefaultRequestHeaders.Add("x-auth-token", answer.Headers.GetValues("x-auth-token").Single());
        }
        async Task<(HttpStatusCode Status, JsonNode? Body)> Call(HttpMethod method, string path, string? body = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }
        IEnumerable<string> Names(JsonNode? list) => list!["items"]!.AsArray().Select(v => v!["name"]!.GetValue<string>());

        var all = (await Call(HttpMethod.Get, "volumes")).Body;
        var two = all!["items"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "sel-two")!["id"]!.GetValue<string>();

        var byId = await Call(HttpMethod.Get, $"volumes?ids={two}");
        var unknownId = await Call(HttpMethod.Get, $"volumes?ids={Guid.NewGuid()}");
        var both = await Call(HttpMethod.Get, $"volumes?names=sel-one&ids={two}");
        var patchAll = await Call(HttpMethod.Patch, "volumes", "{\"destroyed\":true}");
        var deleteAll = await Call(HttpMethod.Delete, "volumes");
        var patchById = await Call(HttpMethod.Patch, $"volumes?ids={two}", "{\"destroyed\":true}");
        var live = (await Call(HttpMethod.Get, "volumes?destroyed=false")).Body;

        Assert.Multiple(() =>
        {
            Assert.That(Names(all), Is.SupersetOf(new[] { "sel-one", "sel-two", "sel-three" }));
            Assert.That(Names(byId.Body), Is.EqualTo(new[] { "sel-two" }), "ids= selects that volume only");
            Assert.That(unknownId.Status, Is.EqualTo(HttpStatusCode.BadRequest), "an unmatched id fails the request");
            Assert.That(both.Status, Is.EqualTo(HttpStatusCode.BadRequest), "names and ids together are refused");
            Assert.That(both.Body?["errors"]?[0]?["message"]?.GetValue<string>(), Is.Not.Empty);
            Assert.That(patchAll.Status, Is.EqualTo(HttpStatusCode.BadRequest), "a PATCH selecting nothing is refused");
            Assert.That(deleteAll.Status, Is.EqualTo(HttpStatusCode.BadRequest), "a DELETE selecting nothing is refused");
            Assert.That(patchById.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Names(live), Is.SupersetOf(new[] { "sel-one", "sel-three" }).And.Not.Contain("sel-two"), "only the volume selected by id was destroyed");
        });
    }
}
