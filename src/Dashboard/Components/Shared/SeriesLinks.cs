namespace MetaAnomaly.Dashboard.Components.Shared;

/// <summary>Links to pages about one series (its key carries ',', '=' and '#', so it travels as a query value).</summary>
public static class SeriesLinks
{
    public static string View(string seriesKey) => "/series/view?key=" + Uri.EscapeDataString(seriesKey);

    public static string Anomaly(long id) => $"/anomalies/{id}";
}
