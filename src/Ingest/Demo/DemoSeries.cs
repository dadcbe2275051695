using System.Globalization;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Ingest.Demo;

/// <summary>
/// One bundled NAB file replayed as a series. <see cref="BackfillRows"/> rows are loaded at once at first start (the
/// history the period detector and the first adaptation learn from: several days of a daily pattern); the rest streams.
/// Each backfill ends a little before a labelled anomaly window, so the stream reaches one within the first minutes.
/// The traffic sensor keeps NAB's real gaps (about half of its 5-minute slots are empty): the buffers mark them NaN.
/// </summary>
internal sealed record DemoSeries(string File, SeriesKey Key, int BackfillRows)
{
    public static IReadOnlyList<DemoSeries> Bundled { get; } =
    [
        new("art_daily_jumpsup.csv", Series("synthetic", "shape", "daily_jumpsup", "value"), 2600),
        new("art_daily_flatmiddle.csv", Series("synthetic", "shape", "daily_flatmiddle", "value"), 2500),
        new("art_increase_spike_density.csv", Series("synthetic", "shape", "spike_density", "value"), 1700),
        new("ec2_cpu_utilization_825cc2.csv", Series("cpu", "host", "ec2-825cc2", "utilization"), 1380),
        new("ec2_network_in_257a54.csv", Series("network", "host", "ec2-257a54", "bytes_in"), 1300),
        new("occupancy_6005.csv", Series("traffic", "sensor", "6005", "occupancy"), 1500),
        new("rds_cpu_utilization_e47b3b.csv", Series("cpu", "host", "rds-e47b3b", "utilization"), 2350),
    ];

    private static SeriesKey Series(string measurement, string tag, string tagValue, string field) =>
        new(measurement, [new(tag, tagValue), new("source", "nab-demo")], field);
}

/// <summary>
/// The rows of one bundled file as offsets from its first timestamp. Replay row <c>g</c> (counting across loops) sits
/// at <c>anchor + (g / rows) * LoopSpan + offset[g % rows]</c>, so data time keeps increasing through every loop.
/// </summary>
internal sealed class DemoRecording
{
    private DemoRecording(long[] offsetTicks, double[] values, long loopSpanTicks)
    {
        OffsetTicks = offsetTicks;
        Values = values;
        LoopSpanTicks = loopSpanTicks;
    }

    public long[] OffsetTicks { get; }

    public double[] Values { get; }

    /// <summary>The file's time span plus one median step: where the next loop starts.</summary>
    public long LoopSpanTicks { get; }

    public int Rows => Values.Length;

    public long TicksOf(long anchorTicks, long row) =>
        anchorTicks + row / Rows * LoopSpanTicks + OffsetTicks[row % Rows];

    /// <summary>The first replay row strictly after <paramref name="ticks"/>.</summary>
    public long RowAfter(long anchorTicks, long ticks)
    {
        var loop = Math.Max(0, (ticks - anchorTicks) / LoopSpanTicks);
        for (var row = loop * Rows; ; row++)
        {
            if (TicksOf(anchorTicks, row) > ticks)
            {
                return row;
            }
        }
    }

    public static DemoRecording Read(Stream csv)
    {
        using var reader = new StreamReader(csv);
        var header = reader.ReadLine();
        if (header is null || !header.StartsWith("timestamp,", StringComparison.Ordinal))
        {
            throw new InvalidDataException("A demo file must start with the header 'timestamp,value'.");
        }
        var stamps = new List<long>();
        var values = new List<double>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            var comma = line.IndexOf(',');
            stamps.Add(DateTime.ParseExact(line.AsSpan(0, comma), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture).Ticks);
            values.Add(double.Parse(line.AsSpan(comma + 1), CultureInfo.InvariantCulture));
        }
        var offsets = stamps.Select(s => s - stamps[0]).ToArray();
        var step = Buffers.StepDetector.MedianSpacingTicks(stamps) ?? TimeSpan.TicksPerMinute;
        return new DemoRecording(offsets, values.ToArray(), offsets[^1] + step);
    }
}
