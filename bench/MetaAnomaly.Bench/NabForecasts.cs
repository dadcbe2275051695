using System.Globalization;
using System.Text;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Bench;

/// <summary>
/// One NAB file's one-step forecasts as the replay served them, row by row (NaN where none was made), with the rows the
/// detector was primed on: `--forecasts FILE` re-runs the detector alone over them.
/// </summary>
internal sealed record NabForecasts(double[] Values, double[] Scales, double[] Anchors, bool[] Primed)
{
    public static NabForecasts Empty(int rows) => new(NaNs(rows), NaNs(rows), NaNs(rows), new bool[rows]);

    public OneStepForecast At(SeriesKey key, int row) => new(key, true, Values[row], Scales[row], null) { Anchor = Anchors[row] };

    public static void Write(string path, IReadOnlyDictionary<string, NabForecasts> forecasts)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = new StringBuilder("file,row,forecast,scale,anchor,primed\n");
        foreach (var (name, f) in forecasts)
        {
            for (var i = 0; i < f.Values.Length; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{name},{i},{f.Values[i]:R},{f.Scales[i]:R},{f.Anchors[i]:R},{(f.Primed[i] ? 1 : 0)}\n");
            }
        }
        File.WriteAllText(path, text.ToString());
    }

    public static Dictionary<string, NabForecasts> Read(string path) =>
        File.ReadLines(path).Skip(1).Select(line => line.Split(','))
            .GroupBy(f => f[0])
            .ToDictionary(g => g.Key, g => new NabForecasts(
                g.Select(f => Parse(f[2])).ToArray(),
                g.Select(f => Parse(f[3])).ToArray(),
                g.Select(f => Parse(f[4])).ToArray(),
                g.Select(f => f[5] == "1").ToArray()));

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static double[] NaNs(int rows) => Enumerable.Repeat(double.NaN, rows).ToArray();
}
