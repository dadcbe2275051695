namespace MetaAnomaly.Forecasting.Learners.Model.Mann;

/// <param name="ControllerSize">LSTM controller width (the learner settings' first hidden size).</param>
/// <param name="MemorySlots">S, the rows of the external memory.</param>
/// <param name="MemoryWidth">W, the length of a memory row (and of a read key).</param>
/// <param name="UsageDecay">gamma, how fast the usage of a slot fades.</param>
internal sealed record MannShape(int InputSize, int ControllerSize, int MemorySlots, int MemoryWidth, double UsageDecay)
{
    public static class Defaults
    {
        public const int ControllerSize = 40;
        public const int MemorySlots = 64;
        public const int MemoryWidth = 16;
        public const double UsageDecay = 0.95;
    }

    public static MannShape For(LearnerSettings settings) => new(
        settings.InputSize,
        settings.HiddenSizes.Count > 0 ? settings.HiddenSizes[0] : Defaults.ControllerSize,
        Defaults.MemorySlots,
        Defaults.MemoryWidth,
        Defaults.UsageDecay);
}
