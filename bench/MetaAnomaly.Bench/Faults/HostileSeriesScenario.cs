using System.Globalization;
using System.Text;

namespace MetaAnomaly.Bench.Faults;

/// <summary>
/// The whole Dashboard host on the demo, with series whose values no model expects pushed beside it (values at
/// +-1e308, the smallest subnormal, a constant, and a series that jumps between 0 and 1e300), with history and then
/// live: whatever they do to forecasting or scoring, every demo series must be scored and keep being scored.
/// </summary>
public sealed class HostileSeriesScenario : IFaultScenario
{
    private const int HistoryPoints = 3000;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    private static readonly (string Kind, Func<int, double> Value)[] Kinds =
    [
        ("huge", i => i % 2 == 0 ? 1e308 : -1e308),
        ("subnormal", i => i % 3 == 0 ? double.Epsilon : 0),
        ("constant", _ => 42),
        ("jumps", i => i % 50 < 25 ? 0 : 1e300),
    ];

    public string Name => "hostile series";

    public string Fault => $"{Kinds.Length} series of extreme values pushed beside the demo ({HistoryPoints} points of history, then live)";

    public async Task<FaultOutcome> RunAsync(FaultContext context, CancellationToken cancellationToken)
    {
        await using var product = await DemoDashboard.StartAsync(context.NewStateFolder("hostile"), new Dictionary<string, string>(), cancellationToken);
        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - HistoryPoints * 10L;
        var (status, answer) = await product.WriteAsync(Lines(start, 0, HistoryPoints), cancellationToken);
        if ((int)status != 204)
        {
            throw new InvalidOperationException($"The hostile history was refused ({(int)status}): {answer}");
        }
        using var live = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pushing = PushLiveAsync(product, start, live.Token);
        var report = await ScoringProbe.RunAsync(product, DemoDashboard.DemoSeries, key => !key.StartsWith("hostile", StringComparison.Ordinal), Deadline, cancellationToken);
        var hostile = (await DemoDashboard.SeriesAsync(product, cancellationToken)).Where(s => s.SeriesKey.StartsWith("hostile", StringComparison.Ordinal))
            .Select(s => $"{s.SeriesKey.Split(',', '#')[1]} {(s.Scoring ? "scored" : "not scored: " + s.Reason)}");
        await live.CancelAsync();
        await pushing;
        return new FaultOutcome("scoring_stopped", report.Series, report.Series, report.Scoring, report.StoppedCount, 0, 0,
            $"{report.Scoring} of {report.Series} demo series scored" + (report.Stopped.Count == 0 ? "" : "; not: " + string.Join("; ", report.Stopped))
            + "; hostile: " + string.Join(", ", hostile));
    }

    /// <summary>One point per series every second (10 s of data time each), until cancelled.</summary>
    private static async Task PushLiveAsync(ProductProcess product, long start, CancellationToken cancellationToken)
    {
        for (var i = HistoryPoints; !cancellationToken.IsCancellationRequested; i++)
        {
            try
            {
                await product.WriteAsync(Lines(start, i, 1), cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    private static string Lines(long start, int first, int count)
    {
        var text = new StringBuilder();
        for (var i = first; i < first + count; i++)
        {
            foreach (var (kind, value) in Kinds)
            {
                text.Append("hostile,kind=").Append(kind).Append(" value=").Append(value(i).ToString("R", CultureInfo.InvariantCulture))
                    .Append(' ').Append(start + i * 10L).Append('\n');
            }
        }
        return text.ToString();
    }
}
