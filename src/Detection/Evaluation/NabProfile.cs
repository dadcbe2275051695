using System.Text.Json;

namespace MetaAnomaly.Detection.Evaluation;

/// <summary>One NAB cost profile: the weights of a true positive (detected window), a missed window and a false positive.</summary>
public sealed record NabProfile(string Name, double TpWeight, double FnWeight, double FpWeight)
{
    public static NabProfile Standard { get; } = new("standard", 1.0, 1.0, 0.11);

    public static NabProfile RewardLowFalsePositives { get; } = new("reward_low_FP_rate", 1.0, 1.0, 0.22);

    public static NabProfile RewardLowFalseNegatives { get; } = new("reward_low_FN_rate", 1.0, 2.0, 0.11);

    public static IReadOnlyList<NabProfile> All { get; } = [Standard, RewardLowFalsePositives, RewardLowFalseNegatives];

    /// <summary>Reads NAB's <c>profiles.json</c> (<c>{"standard": {"CostMatrix": {"tpWeight": ..}}, ..}</c>).</summary>
    public static IReadOnlyList<NabProfile> Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var profiles = new List<NabProfile>();
        foreach (var profile in document.RootElement.EnumerateObject())
        {
            var costs = profile.Value.GetProperty("CostMatrix");
            profiles.Add(new NabProfile(
                profile.Name,
                costs.GetProperty("tpWeight").GetDouble(),
                costs.GetProperty("fnWeight").GetDouble(),
                costs.GetProperty("fpWeight").GetDouble()));
        }
        return profiles;
    }
}
