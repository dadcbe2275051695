using System.Globalization;
using System.Text;
using MetaAnomaly.Detection.Scoring;

namespace MetaAnomaly.Bench.Replay;

/// <summary>
/// <c>bench nab --from DIR --trace SERIES</c>: every point the screen fed the detector for the series whose key contains
/// SERIES, priming included, one TSV row each: what the detector received (value, the served forecast and its anchor,
/// whether it primed) and what it made of it (the forecast it scored against, scale, score in scales, calibrated
/// surprise, scored, anomalous, reason). Points the detector returned nothing for (gaps, the first priming points that
/// only teach the scale) have empty result fields.
/// </summary>
internal sealed class DetectorTrace(string series)
{
    internal const string Header = "series\ttimestamp\tpriming\tvalue\tforecast\tanchor\texpected\tscale\tscore\tsurprise\tscored\tanomalous\treason";
    private readonly StringBuilder _text = new(Header + "\n");

    public void Add(DetectorInput input, ScoredPoint? point)
    {
        var key = input.Key.ToString();
        if (!key.Contains(series, StringComparison.Ordinal))
        {
            return;
        }
        _text.Append(CultureInfo.InvariantCulture,
            $"{key}\t{input.Timestamp:yyyy-MM-dd HH:mm:ss}\t{(input.Priming ? 1 : 0)}\t{input.Value:R}\t{input.Forecast.Value:R}\t{input.Forecast.Anchor:R}\t");
        if (point is not null)
        {
            _text.Append(CultureInfo.InvariantCulture,
                $"{point.Forecast:R}\t{point.Scale:R}\t{point.Score:R}\t{point.Surprise:R}\t{(point.Scored ? 1 : 0)}\t{(point.Anomalous ? 1 : 0)}\t{point.Reason?.Replace('\t', ' ') ?? "-"}");
        }
        else
        {
            _text.Append("\t\t\t\t\t\t");
        }
        _text.Append('\n');
    }

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, _text.ToString());
    }
}
