using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Ingest.Sources;

/// <summary>
/// Runs every registered <see cref="IIngestSource"/> side by side for the life of the host. A source that fails is
/// logged by name and its failure stops the host, as an unhandled hosted-service failure does.
/// </summary>
internal sealed partial class IngestSourceRunner(IEnumerable<IIngestSource> sources, ILogger<IngestSourceRunner> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(sources.Select(source => Task.Run(() => RunAsync(source, stoppingToken), CancellationToken.None)));

    private async Task RunAsync(IIngestSource source, CancellationToken stoppingToken)
    {
        try
        {
            await source.RunAsync(stoppingToken);
        }
        catch (Exception e) when (!(e is OperationCanceledException && stoppingToken.IsCancellationRequested))
        {
            LogSourceFailed(source.Name, e);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest source {Source} failed")]
    private partial void LogSourceFailed(string source, Exception exception);
}
