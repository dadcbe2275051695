using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MetaAnomaly.Cluster.Tests.Support;
using Xunit.Abstractions;

namespace MetaAnomaly.Cluster.Tests;

/// <summary>
/// Two silos of the real host on test.sh's PostgreSQL, both configured with one webhook endpoint: the data-protection
/// keys are the cluster's, so the sign-in cookie one node issues is accepted by the other, for its pages, its API and an
/// admin's write; and what an admin sets for alerting on one node (a webhook endpoint, a maintenance window, a
/// sensitivity) is the other's too, the configured endpoint once.
/// </summary>
[Collection(nameof(ClusterFailoverTests))]
public sealed class ClusterSharedStateTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    [SkippableFact]
    public async Task ACookieIssuedByOneNodeIsAcceptedByTheOtherAndAlertingSetOnOneNodeIsTheOthers()
    {
        Skip.If(TestPostgres.Server is null, TestPostgres.Missing);
        await using var postgres = await TestPostgres.CreateAsync();
        var nodes = Enumerable.Range(1, 2).Select(i =>
        {
            var settings = NodeProcess.SiloSettings($"node{i}", postgres.ConnectionString, 4);
            settings["Detection__Webhooks__Endpoints__0__Name"] = "configured";
            settings["Detection__Webhooks__Endpoints__0__Url"] = "http://127.0.0.1:9/configured";
            return NodeProcess.Start($"node{i}", settings);
        }).ToArray();
        await TestCluster.RunAsync(nodes, output, async () =>
        {
            await Task.WhenAll(nodes.Select(n => n.WaitHealthyAsync(StartTimeout)));
            await AssertACookieOfOneNodeIsTheOthersAsync(nodes);
            await Task.WhenAll(nodes.Select(n => n.SignInAsync()));
            await AssertAlertingSetOnOneNodeIsTheOthersAsync(nodes[0], nodes[1]);
        });
    }

    private static async Task AssertACookieOfOneNodeIsTheOthersAsync(NodeProcess[] nodes)
    {
        var cookie = await nodes[0].SignInCookieAsync();
        var other = nodes[1];
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = other.BaseAddress };

        using var anonymous = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);

        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Add("Cookie", cookie);
        using var overview = await client.SendAsync(page);
        Assert.True(overview.StatusCode == HttpStatusCode.OK, $"{other.Name}'s overview answered {overview.StatusCode} ({overview.Headers.Location}) to {nodes[0].Name}'s cookie");

        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/cluster");
        api.Headers.Add("Cookie", cookie);
        using var view = await client.SendAsync(api);
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);

        using var write = new HttpRequestMessage(HttpMethod.Post, "/api/keys") { Content = JsonContent.Create(new { name = "made-with-another-nodes-cookie", role = "viewer" }) };
        write.Headers.Add("Cookie", cookie);
        write.Headers.Add("Origin", other.BaseAddress.GetLeftPart(UriPartial.Authority));
        using var created = await client.SendAsync(write);
        Assert.True(created.IsSuccessStatusCode, $"{other.Name} answered {created.StatusCode} to an admin's write with {nodes[0].Name}'s cookie");
    }

    private static async Task AssertAlertingSetOnOneNodeIsTheOthersAsync(NodeProcess one, NodeProcess other)
    {
        var created = await one.PostAsync("/api/webhooks", new { name = "pager", url = "http://127.0.0.1:9/pager", secret = "set-on-one-node" });
        var listed = await other.Client.GetFromJsonAsync<JsonElement>("/api/webhooks");
        var byName = listed.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal(["configured", "pager"], byName.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(created.GetProperty("id").GetInt64(), byName["pager"].GetProperty("id").GetInt64());
        Assert.True(byName["pager"].GetProperty("hasSecret").GetBoolean());
        Assert.False(byName["pager"].TryGetProperty("secretProblem", out var problem) && problem.ValueKind != JsonValueKind.Null, $"{other.Name} cannot read the secret {one.Name} set: {problem}");
        Assert.True(byName["configured"].GetProperty("fromConfiguration").GetBoolean());

        var start = DateTimeOffset.UtcNow.AddHours(1);
        var window = await other.PostAsync("/api/maintenance-windows", new { name = "upgrade", start, end = start.AddHours(2), seriesPattern = "cpu*" });
        var windows = await one.Client.GetFromJsonAsync<JsonElement>("/api/maintenance-windows");
        Assert.Equal(window.GetProperty("id").GetInt64(), Assert.Single(windows.EnumerateArray()).GetProperty("id").GetInt64());

        using var set = new HttpRequestMessage(HttpMethod.Put, "/api/detection/sensitivities/series?key=cpu,host=a%23usage")
        {
            Content = JsonContent.Create(new { sensitivity = "High" }),
        };
        set.Headers.Add("Origin", one.BaseAddress.GetLeftPart(UriPartial.Authority));
        using (var answer = await one.Client.SendAsync(set))
        {
            Assert.True(answer.IsSuccessStatusCode, $"{one.Name} answered {answer.StatusCode} to setting a sensitivity");
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        JsonElement sensitivities;
        do
        {
            await Task.Delay(500);
            sensitivities = await other.Client.GetFromJsonAsync<JsonElement>("/api/detection/sensitivities");
        }
        while (sensitivities.GetArrayLength() == 0 && DateTime.UtcNow < deadline);
        var setting = Assert.Single(sensitivities.EnumerateArray());
        Assert.Equal("cpu,host=a#usage", setting.GetProperty("target").GetString());
        Assert.Equal("High", setting.GetProperty("sensitivity").GetString());
    }
}
