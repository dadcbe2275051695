namespace MetaAnomaly.Detection.Evaluation;

/// <summary>
/// The Numenta Anomaly Benchmark's scorer: application-weighted window scores, one threshold for the whole corpus
/// (chosen by sweeping every distinct anomaly score), normalised between the null and the perfect detector.
/// </summary>
/// <remarks>
/// Lavin and Ahmad, "Evaluating Real-time Anomaly Detection Algorithms - the Numenta Anomaly Benchmark", ICMLA 2015;
/// the reference implementation is NAB's <c>nab/sweeper.py</c>.
/// <para>Scaled sigmoid: s(p) = 2 / (1 + e^{5p}) - 1 for p &lt;= 3, else -1.</para>
/// <para>Each window starts at -fnWeight. A detection (score &gt;= threshold) at row i inside a window of width W and
/// right edge R gives the window s(-(R - i + 1) / W) * tpWeight / s(-1); only the earliest (largest) value counts.
/// A detection outside every window after a window (right edge R', width W') adds s(|R' - i| / (W' - 1)) * fpWeight,
/// before the first window -fpWeight. Rows of the probationary period are never scored.</para>
/// <para>Normalised score = 100 (S - S_null) / (S_perfect - S_null), S_perfect = windows * tpWeight,
/// S_null = -windows * fnWeight.</para>
/// </remarks>
public static class NabScorer
{
    private static readonly double MaxTruePositive = ScaledSigmoid(-1.0);

    public static double ScaledSigmoid(double position) =>
        position > 3.0 ? -1.0 : 2.0 / (1.0 + Math.Exp(5.0 * position)) - 1.0;

    /// <summary>Sweeps the corpus-wide threshold for one profile and scores every file at the best one.</summary>
    public static NabScore Score(IReadOnlyList<NabFile> files, NabProfile profile)
    {
        var points = new List<SweepPoint>();
        var windowCount = 0;
        foreach (var file in files)
        {
            var weights = RowWeights(file, profile, windowCount);
            for (var i = file.ProbationaryRows; i < file.Scores.Length; i++)
            {
                points.Add(new SweepPoint(file.Scores[i], weights.Values[i], weights.WindowIds[i]));
            }
            windowCount += file.Windows.Count;
        }

        var windowValues = Enumerable.Repeat(-profile.FnWeight, windowCount).ToArray();
        var nullScore = -windowCount * profile.FnWeight;
        var total = nullScore;
        var bestTotal = total;
        var bestThreshold = double.PositiveInfinity;
        points.Sort((a, b) => b.Score.CompareTo(a.Score));
        for (var k = 0; k < points.Count; k++)
        {
            var point = points[k];
            if (point.WindowId >= 0)
            {
                var value = Math.Max(windowValues[point.WindowId], point.Weight);
                total += value - windowValues[point.WindowId];
                windowValues[point.WindowId] = value;
            }
            else
            {
                total += point.Weight;
            }
            var lastOfThreshold = k + 1 == points.Count || points[k + 1].Score != point.Score;
            if (lastOfThreshold && total > bestTotal)
            {
                bestTotal = total;
                bestThreshold = point.Score;
            }
        }

        var perfectScore = windowCount * profile.TpWeight;
        var perFile = files.Select(f => ScoreFile(f, profile, bestThreshold)).ToArray();
        return new NabScore(profile, bestThreshold, bestTotal, Normalize(bestTotal, nullScore, perfectScore), windowCount, perFile);
    }

    /// <summary>One file's raw score and counts at a fixed threshold.</summary>
    public static NabFileScore ScoreFile(NabFile file, NabProfile profile, double threshold)
    {
        var weights = RowWeights(file, profile, 0);
        var windowValues = Enumerable.Repeat(-profile.FnWeight, file.Windows.Count).ToArray();
        var falsePositives = 0;
        var falsePositiveSum = 0.0;
        for (var i = file.ProbationaryRows; i < file.Scores.Length; i++)
        {
            if (!(file.Scores[i] >= threshold))
            {
                continue;
            }
            var window = weights.WindowIds[i];
            if (window >= 0)
            {
                windowValues[window] = Math.Max(windowValues[window], weights.Values[i]);
            }
            else
            {
                falsePositives++;
                falsePositiveSum += weights.Values[i];
            }
        }
        var detected = windowValues.Count(v => v > -profile.FnWeight);
        return new NabFileScore(file.Name, windowValues.Sum() + falsePositiveSum, detected, file.Windows.Count - detected, falsePositives);
    }

    public static double Normalize(double score, double nullScore, double perfectScore) =>
        perfectScore == nullScore ? 0.0 : 100.0 * (score - nullScore) / (perfectScore - nullScore);

    /// <summary>Per row: the weight a detection there would add and the (offset) id of the window holding it, or -1.</summary>
    private static (double[] Values, int[] WindowIds) RowWeights(NabFile file, NabProfile profile, int windowOffset)
    {
        var values = new double[file.Scores.Length];
        var ids = new int[file.Scores.Length];
        NabWindow? previous = null;
        var next = 0;
        for (var i = 0; i < values.Length; i++)
        {
            while (next < file.Windows.Count && file.Windows[next].Right < i)
            {
                previous = file.Windows[next];
                next++;
            }
            if (next < file.Windows.Count && file.Windows[next].Left <= i)
            {
                var window = file.Windows[next];
                ids[i] = windowOffset + next;
                values[i] = ScaledSigmoid(-(window.Right - i + 1.0) / window.Width) * profile.TpWeight / MaxTruePositive;
            }
            else
            {
                ids[i] = -1;
                values[i] = previous is { } p
                    ? ScaledSigmoid(Math.Abs(p.Right - i) / (p.Width - 1.0)) * profile.FpWeight
                    : -profile.FpWeight;
            }
        }
        return (values, ids);
    }

    private readonly record struct SweepPoint(double Score, double Weight, int WindowId);
}

/// <summary>A profile's corpus result: the chosen threshold, the raw and normalised score, and each file's part.</summary>
public sealed record NabScore(
    NabProfile Profile,
    double Threshold,
    double RawScore,
    double NormalizedScore,
    int Windows,
    IReadOnlyList<NabFileScore> Files);

public sealed record NabFileScore(string Name, double RawScore, int TruePositives, int FalseNegatives, int FalsePositives);
