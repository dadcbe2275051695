using System.Net.Http.Json;
using System.Text.Json;
using MetaAnomaly.Cluster.Apis;
using Xunit.Abstractions;

namespace MetaAnomaly.Cluster.Tests.Support;

/// <summary>What the multi-node tests share: a silo's settings for <see cref="SeriesPusher"/>'s series, and waits on the cluster's API.</summary>
public static class TestCluster
{
    /// <summary>A silo's settings, with meta-training and detection small enough for the pushed series and a test's time.</summary>
    public static Dictionary<string, string> ScoringSiloSettings(string name, string postgres, int shards)
    {
        var settings = NodeProcess.SiloSettings(name, postgres, shards);
        settings["Forecasting__Device"] = "cpu";
        settings["Forecasting__StartupDelay"] = "00:00:01";
        settings["Forecasting__CatchUpInterval"] = "00:00:02";
        settings["Forecasting__MaxPeriod"] = "60";
        settings["Forecasting__MetaTrainingSteps"] = "30";
        settings["Forecasting__MetaTrainingBudget"] = "00:00:20";
        settings["Detection__Warmup__Points"] = "64";
        return settings;
    }

    /// <summary>Waits until <paramref name="done"/> holds for the node's <c>/api/cluster</c>; fails with the last view after <paramref name="timeout"/>.</summary>
    public static async Task<ClusterView> WaitForViewAsync(NodeProcess node, Func<ClusterView, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        ClusterView? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await node.Client.GetFromJsonAsync<ClusterView>("/api/cluster");
                if (last is not null && done(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(1000);
        }
        Assert.Fail($"the cluster did not get there within {timeout}; last seen by {node.Name}: {(last is null ? "nothing" : Describe(last))}");
        return last!;
    }

    /// <summary>Waits until the nodes together report every pushed series adapted, each the series its shards hold.</summary>
    public static async Task WaitForAdaptedAsync(IReadOnlyList<NodeProcess> nodes, TimeSpan timeout, ITestOutputHelper output)
    {
        var deadline = DateTime.UtcNow + timeout;
        var adapted = 0;
        while (DateTime.UtcNow < deadline)
        {
            adapted = 0;
            foreach (var node in nodes)
            {
                var listing = await node.Client.GetFromJsonAsync<JsonElement>("/api/series");
                adapted += listing.EnumerateArray().Count(s => s.GetProperty("model").GetProperty("status").GetString() == "Adapted");
            }
            if (adapted >= SeriesPusher.SeriesCount)
            {
                output.WriteLine($"all {SeriesPusher.SeriesCount} series adapted on {string.Join(", ", nodes.Select(n => n.Name))}");
                return;
            }
            await Task.Delay(1000);
        }
        Assert.Fail($"only {adapted} of {SeriesPusher.SeriesCount} series adapted on {string.Join(", ", nodes.Select(n => n.Name))} within {timeout}");
    }

    /// <summary>
    /// Waits until the nodes together score every pushed series live (neither priming nor calibrating) through
    /// <paramref name="through"/>: a spike pushed after that is scored as it arrives, not primed on by a detector that
    /// meets a newly adapted or newly moved series only at its next tick.
    /// </summary>
    public static async Task WaitForScoringLiveAsync(IReadOnlyList<NodeProcess> nodes, DateTimeOffset through, TimeSpan timeout, ITestOutputHelper output)
    {
        var deadline = DateTime.UtcNow + timeout;
        var live = new HashSet<string>(StringComparer.Ordinal);
        while (DateTime.UtcNow < deadline)
        {
            live.Clear();
            foreach (var node in nodes)
            {
                var statuses = await node.Client.GetFromJsonAsync<JsonElement>("/api/detection/series");
                live.UnionWith(statuses.EnumerateArray()
                    .Where(s => s.GetProperty("scoring").GetBoolean() && s.GetProperty("reason").ValueKind == JsonValueKind.Null
                        && s.GetProperty("lastScored") is { ValueKind: JsonValueKind.String } last && last.GetDateTimeOffset() >= through)
                    .Select(s => s.GetProperty("seriesKey").GetString()!));
            }
            if (live.Count >= SeriesPusher.SeriesCount)
            {
                output.WriteLine($"all {SeriesPusher.SeriesCount} series scored live through {through:O} on {string.Join(", ", nodes.Select(n => n.Name))}");
                return;
            }
            await Task.Delay(500);
        }
        Assert.Fail($"only {live.Count} of {SeriesPusher.SeriesCount} series scored live through {through:O} on {string.Join(", ", nodes.Select(n => n.Name))} within {timeout}");
    }

    public static string Describe(ClusterView view) =>
        string.Join(", ", view.Nodes.Select(n => $"{n.Name} {n.Status} {n.ActiveShards} shards")) + $"; unreachable {view.UnreachableShards.Count}";

    /// <summary>Runs a test's body on started nodes: when it fails, writes every node's output; always stops them.</summary>
    public static async Task RunAsync(IReadOnlyList<NodeProcess> nodes, ITestOutputHelper output, Func<Task> body)
    {
        try
        {
            await body();
        }
        catch
        {
            WriteOutputs(nodes, output);
            throw;
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>Every node's output (its end), for a failed test's log.</summary>
    private static void WriteOutputs(IEnumerable<NodeProcess> nodes, ITestOutputHelper output)
    {
        foreach (var node in nodes)
        {
            var text = node.Output;
            output.WriteLine($"--- {node.Name} ---\n{(text.Length <= 6000 ? text : text[^6000..])}");
        }
    }
}
