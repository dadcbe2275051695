using MetaAnomaly.Detection.Scoring;

namespace MetaAnomaly.Detection.Events;

/// <summary>
/// The 0-100 anomaly score an operator reads, from the detector's calibrated surprise (a one-sided normal deviate whose
/// normal CDF is the anomaly probability). The surprise's rarity under normal variation, in decades,
/// <c>D = -log10(1 - Phi(surprise))</c>, maps to <c>score = 100 D / (D + 6)</c>: 0 for an ordinary point, 40 at the
/// default alarm threshold (probability 0.9999, one in 10^4), 50 at one in a million, 80 at one in 10^24; it rises
/// with the surprise and never saturates, unlike the probability, which is 1.0 for every strong anomaly.
/// </summary>
public static class AnomalyScore
{
    /// <summary>Decades of rarity that score 50.</summary>
    public const double HalfScoreDecades = 6;

    public static double FromSurprise(double surprise)
    {
        if (double.IsNaN(surprise))
        {
            return 0;
        }
        var decades = RarityDecades(surprise);
        return 100 * decades / (decades + HalfScoreDecades);
    }

    /// <summary>The score of a calibrated probability (events stored before the surprise was).</summary>
    public static double FromProbability(double probability) =>
        FromSurprise(Shared.Statistics.NormalQuantile.Of(Math.Clamp(probability, 0.5, 1 - 1e-15)));

    /// <summary>-log10 of the normal upper tail beyond <paramref name="surprise"/>; 0 for a surprise of 0 or less.</summary>
    public static double RarityDecades(double surprise)
    {
        if (surprise <= 0)
        {
            return 0;
        }
        if (surprise < 30)
        {
            return -Math.Log10(TailProbabilityCalibrator.NormalCdf(-surprise));
        }
        // Mills' ratio: ln Q(z) ~ -z^2/2 - ln z - ln sqrt(2 pi), where Q(z) underflows a double.
        var z = surprise;
        return (z * z / 2 + Math.Log(z) + 0.5 * Math.Log(2 * Math.PI)) / Math.Log(10);
    }
}
