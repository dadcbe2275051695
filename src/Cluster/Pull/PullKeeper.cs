using MetaAnomaly.Cluster.Configuration;
using MetaAnomaly.Ingest.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Cluster.Pull;

/// <summary>
/// On a node configured to pull from InfluxDB (<c>Ingest:Influx:Url</c>, pull not disabled), calls the pull grain of
/// that database every <c>Cluster:ShardCheckInterval</c>: the first caller's node activates it, and after a node loss
/// the next call activates it on a live node. The node itself never pulls.
/// </summary>
internal sealed partial class PullKeeper(IGrainFactory grains, IOptions<IngestOptions> ingest, IOptions<ClusterOptions> cluster, TimeProvider clock, ILogger<PullKeeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var key = PullKey.Of(ingest.Value.Influx);
        var pull = grains.GetGrain<IPullGrain>(key);
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(cluster.Value.ShardCheckInterval, clock, stoppingToken);
            try
            {
                await pull.KeepAsync().WaitAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogUnreachable(key, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pull {Pull} not reachable yet ({Reason}); trying again at the next check")]
    private partial void LogUnreachable(string pull, string reason);
}
