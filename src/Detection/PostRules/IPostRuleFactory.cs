using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Detection.PostRules;

/// <summary>Creates one series' instance of a post-rule (its state is per series); registered in <c>AddDetection</c>.</summary>
internal interface IPostRuleFactory
{
    /// <summary>The rule for a new series, or null when its options switch it off.</summary>
    IPostRule? Create(SeriesKey series);
}

/// <summary>A post-rule factory from a function of the validated options.</summary>
internal sealed class PostRuleFactory(Func<SeriesKey, IPostRule?> create) : IPostRuleFactory
{
    public IPostRule? Create(SeriesKey series) => create(series);
}
