namespace MetaAnomaly.Forecasting.Learners.Model.MetaNetworks;

/// <param name="HiddenSizes">The base learner's hidden layers (the learner settings' hidden sizes).</param>
/// <param name="RepresentationSize">Width of the representation used to address the fast-weight memory.</param>
/// <param name="GeneratorSize">Hidden width of the meta learner's fast-weight generators.</param>
internal sealed record MetaNetShape(int InputSize, IReadOnlyList<int> HiddenSizes, int RepresentationSize, int GeneratorSize)
{
    public static class Defaults
    {
        public static readonly int[] HiddenSizes = [40, 40];
        public const int RepresentationSize = 32;
        public const int GeneratorSize = 32;
    }

    public static MetaNetShape For(LearnerSettings settings) => new(
        settings.InputSize,
        settings.HiddenSizes.Count > 0 ? settings.HiddenSizes : Defaults.HiddenSizes,
        Defaults.RepresentationSize,
        Defaults.GeneratorSize);

    /// <summary>Input and output width of each base-learner layer, the output layer last.</summary>
    public IReadOnlyList<(int Inputs, int Outputs)> Layers =>
        HiddenSizes.Prepend(InputSize).Zip(HiddenSizes.Append(1), (inputs, outputs) => (inputs, outputs)).ToList();
}
