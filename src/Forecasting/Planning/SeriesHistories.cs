using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Forecasting.Planning;

/// <summary>
/// The latest history of each series, read once per run so that its planning, training and adaptation see the same
/// windows; as segments, with the slots the detector masked (confirmed anomalies) set to gaps.
/// </summary>
internal sealed class SeriesHistories(ISeriesBuffers buffers, int historyLength, IAdaptationMask? mask)
{
    private readonly Dictionary<SeriesKey, SeriesWindow> _windows = [];

    /// <summary>Reads the series' latest window from the buffers and keeps it; null (and nothing kept) when it has none.</summary>
    public SeriesWindow? Read(SeriesKey key)
    {
        var window = buffers.Latest(key, historyLength);
        if (window is not null)
        {
            _windows[key] = window;
        }
        return window;
    }

    /// <summary>Reads every one of <paramref name="keys"/> not read yet.</summary>
    public void ReadMissing(IEnumerable<SeriesKey> keys)
    {
        foreach (var key in keys.Where(k => !_windows.ContainsKey(k)))
        {
            Read(key);
        }
    }

    public bool TryGet(SeriesKey key, out SeriesWindow window) => _windows.TryGetValue(key, out window!);

    /// <summary>The windows read of <paramref name="keys"/>, in their order.</summary>
    public SeriesWindow[] Of(IEnumerable<SeriesKey> keys) => keys.Where(_windows.ContainsKey).Select(k => _windows[k]).ToArray();

    /// <summary>The window as a segment, with the slots the detector masked set to gaps.</summary>
    public SeriesSegment Segment(SeriesKey key, SeriesWindow window)
    {
        var values = (double[])window.Values.Clone();
        if (mask is not null && values.Length > 0)
        {
            foreach (var interval in mask.MaskedIntervals(key, window.Start, window.End))
            {
                for (var i = 0; i < values.Length; i++)
                {
                    if (interval.Contains(window.TimestampAt(i)))
                    {
                        values[i] = double.NaN;
                    }
                }
            }
        }
        return new SeriesSegment(values, SeriesSegment.SlotIndex(window.Start, window.Step));
    }
}
