using System.Net;
using System.Net.Http.Json;
using MetaAnomaly.Cluster.Tests.Support;
using Xunit.Abstractions;

namespace MetaAnomaly.Cluster.Tests;

/// <summary>
/// Two silos of the real host on test.sh's PostgreSQL: the data-protection keys are the cluster's, so the sign-in
/// cookie one node issues is accepted by the other, for its pages, its API and an admin's write.
/// </summary>
[Collection(nameof(ClusterFailoverTests))]
public sealed class ClusterSignInTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    [SkippableFact]
    public async Task ACookieIssuedByOneNodeIsAcceptedByTheOther()
    {
        Skip.If(TestPostgres.Server is null, TestPostgres.Missing);
        await using var postgres = await TestPostgres.CreateAsync();
        var nodes = Enumerable.Range(1, 2).Select(i => NodeProcess.Start($"node{i}", NodeProcess.SiloSettings($"node{i}", postgres.ConnectionString, 4))).ToArray();
        await TestCluster.RunAsync(nodes, output, async () =>
        {
            await Task.WhenAll(nodes.Select(n => n.WaitHealthyAsync(StartTimeout)));
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
        });
    }
}
