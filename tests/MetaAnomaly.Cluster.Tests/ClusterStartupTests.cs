using MetaAnomaly.Cluster.Tests.Support;
using MetaAnomaly.Dashboard.Hosting;

namespace MetaAnomaly.Cluster.Tests;

/// <summary>The host as a process: a cluster setting that cannot work stops it at start with the configuration exit code.</summary>
public sealed class ClusterStartupTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    [SkippableFact]
    public async Task EnabledClusterWithoutPostgreSqlEndsWithTheConfigurationExitCodeAndNamesIt()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix processes");
        await using var node = NodeProcess.Start("node", new Dictionary<string, string> { ["Cluster__Enabled"] = "true" });
        Assert.True(await node.ExitsWithinAsync(StartTimeout), node.Output);
        Assert.True(node.ExitCode == StartupFailure.ConfigurationErrorExitCode, $"exit code {node.ExitCode}:\n{node.Output}");
        Assert.Contains("Cluster:PostgreSql", node.Output, StringComparison.Ordinal);
    }
}
