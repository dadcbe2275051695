using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.Sources;
using MetaAnomaly.Ingest.Status;
using MetaAnomaly.Ingest.Storage;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MetaAnomaly.Shared.Telemetry;

namespace MetaAnomaly.Ingest.Demo;

/// <summary>
/// Replays the bundled NAB series as a live stream. At first start it loads each series' backfill at once, shifted so
/// that the backfill ends now; then every <c>Ingest:Demo:StepInterval</c> it emits the next row of every series, and
/// loops over each file with continued timestamps. The replay runs on its own accelerated data clock (one data step
/// per interval), so its data time runs ahead of the wall clock: it enters the buffers through
/// <see cref="SeriesBuffers.IngestReplay"/>, which skips the wall-clock plausibility range meant for external sources.
/// After a restart each series continues after the last point the restored buffers hold, on the stored anchor.
/// </summary>
internal sealed partial class DemoSource(
    SeriesBuffers buffers,
    WatermarkStore watermarks,
    IngestStatus status,
    IOptions<IngestOptions> options,
    TimeProvider clock,
    ILogger<DemoSource> logger) : IIngestSource
{
    private const string WatermarkSource = "demo";

    public string Name => "demo";

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var replays = new List<Replay>();
        var backfilled = 0;
        foreach (var series in DemoSeries.Bundled)
        {
            var recording = DemoRecording.Read(OpenBundled(series.File));
            var anchor = await watermarks.GetAsync(WatermarkSource, series.File, stoppingToken);
            long next;
            if (anchor is null || buffers.Describe(series.Key)?.LastTimestamp is not { } last)
            {
                anchor = clock.GetUtcNow().UtcTicks - recording.OffsetTicks[series.BackfillRows - 1];
                await watermarks.SetAsync(WatermarkSource, series.File, anchor.Value, stoppingToken);
                var history = new DataPoint[series.BackfillRows];
                for (var row = 0; row < history.Length; row++)
                {
                    history[row] = Point(series, recording, anchor.Value, row);
                }
                backfilled += buffers.IngestReplay(history).Accepted;
                next = series.BackfillRows;
            }
            else
            {
                next = recording.RowAfter(anchor.Value, last.UtcTicks);
            }
            replays.Add(new Replay(series, recording, anchor.Value) { Next = next });
        }
        LogStarted(replays.Count, backfilled, options.Value.Demo.StepInterval);
        ProductMetrics.Ingested(Name, backfilled);
        status.SourceStarted(Name);

        using var timer = new PeriodicTimer(options.Value.Demo.StepInterval, clock);
        var batch = new DataPoint[replays.Count];
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                for (var i = 0; i < replays.Count; i++)
                {
                    var replay = replays[i];
                    batch[i] = Point(replay.Series, replay.Recording, replay.Anchor, replay.Next++);
                }
                ProductMetrics.Ingested(Name, buffers.IngestReplay(batch).Accepted);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static DataPoint Point(DemoSeries series, DemoRecording recording, long anchor, long row) =>
        new(series.Key, new DateTimeOffset(recording.TicksOf(anchor, row), TimeSpan.Zero), recording.Values[row % recording.Rows]);

    internal static Stream OpenBundled(string file) =>
        typeof(DemoSource).Assembly.GetManifestResourceStream("DemoData/" + file)
        ?? throw new InvalidOperationException($"The bundled demo file {file} is missing from the assembly.");

    private sealed record Replay(DemoSeries Series, DemoRecording Recording, long Anchor)
    {
        public long Next { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo source: replaying {Series} bundled NAB series ({Backfilled} history points loaded), one step every {Interval}")]
    private partial void LogStarted(int series, int backfilled, TimeSpan interval);
}
