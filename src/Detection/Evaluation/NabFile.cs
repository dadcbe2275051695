namespace MetaAnomaly.Detection.Evaluation;

/// <summary>
/// One scored NAB data file: its rows' anomaly scores in time order and its labelled windows as inclusive row ranges.
/// </summary>
/// <param name="Name">The corpus-relative name, <c>CATEGORY/FILE.csv</c>.</param>
public sealed record NabFile(string Name, DateTime[] Timestamps, double[] Scores, IReadOnlyList<NabWindow> Windows)
{
    public string Category => Name.Split('/')[0];

    /// <summary>NAB's probationary period: rows before min(floor(0.15 N), 750) are not scored.</summary>
    public int ProbationaryRows => ProbationaryRowsOf(Scores.Length);

    public static int ProbationaryRowsOf(int rows) => (int)Math.Min(Math.Floor(0.15 * rows), 0.15 * 5000);

    /// <summary>Maps labelled time windows onto this file's rows (first row at or after the start, last at or before the end).</summary>
    public static IReadOnlyList<NabWindow> RowWindows(DateTime[] timestamps, IEnumerable<(DateTime Start, DateTime End)> windows)
    {
        var rows = new List<NabWindow>();
        foreach (var (start, end) in windows.OrderBy(w => w.Start))
        {
            var left = Array.FindIndex(timestamps, t => t >= start);
            var right = Array.FindLastIndex(timestamps, t => t <= end);
            if (left < 0 || right < left)
            {
                throw new InvalidDataException($"The window {start:O}..{end:O} holds no row.");
            }
            rows.Add(new NabWindow(left, right));
        }
        return rows;
    }
}

/// <summary>A labelled anomaly window as inclusive row indices.</summary>
public readonly record struct NabWindow(int Left, int Right)
{
    public int Width => Right - Left + 1;
}
