namespace MetaAnomaly.Forecasting.Learners.Model.Snail;

/// <param name="Filters">Channels each dense causal-convolution layer adds.</param>
/// <param name="DilationLevels">Layers in the temporal-convolution block, dilations 1, 2, ..., 2^(levels - 1).</param>
/// <param name="FirstAttentionSize">Key and value width of the attention block before the convolutions.</param>
/// <param name="SecondAttentionSize">Key and value width of the attention block after them.</param>
/// <param name="HeadSize">Hidden width of the read-out (the learner settings' first hidden size).</param>
internal sealed record SnailShape(
    int InputSize,
    int Filters,
    int DilationLevels,
    int FirstAttentionSize,
    int SecondAttentionSize,
    int HeadSize)
{
    public static class Defaults
    {
        public const int Filters = 16;
        public const int DilationLevels = 6;
        public const int FirstAttentionSize = 16;
        public const int SecondAttentionSize = 32;
        public const int HeadSize = 40;
    }

    /// <summary>Token width: the window, the target, an observed flag and a query flag.</summary>
    public int TokenSize => InputSize + 3;

    public static SnailShape For(LearnerSettings settings) => new(
        settings.InputSize,
        Defaults.Filters,
        Defaults.DilationLevels,
        Defaults.FirstAttentionSize,
        Defaults.SecondAttentionSize,
        settings.HiddenSizes.Count > 0 ? settings.HiddenSizes[0] : Defaults.HeadSize);
}
