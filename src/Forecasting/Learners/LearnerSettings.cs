using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Learners;

/// <summary>
/// What every learner is built from. Vocabulary follows learn2learn (adaptation learning rate and steps, first order).
/// </summary>
/// <param name="InputSize">D: lag window length plus the phase features.</param>
/// <param name="HiddenSizes">Hidden layer widths of the forecaster or encoder (the MAML paper's regression net: 40, 40).</param>
/// <param name="ZeroOutputLayer">The MLP forecaster's output layer starts at zero, so the untrained forecast is the
/// anchor (seasonal naive on an anchored layout); false initialises it like the hidden layers (the MAML paper's setup).</param>
/// <param name="HeldOutShare">Share of the support's latest pairs the gradient learners' inner loop holds out to stop
/// itself early, per task (<see cref="Optimization.HeldOutTail"/>); 0 runs every step on the whole support (the papers' loop).</param>
public sealed record LearnerSettings(
    int InputSize,
    Device Device,
    int Seed,
    IReadOnlyList<int> HiddenSizes,
    double AdaptationLearningRate = 0.01,
    int AdaptationSteps = 5,
    double MetaLearningRate = 0.001,
    bool FirstOrder = false,
    bool ZeroOutputLayer = true,
    double HeldOutShare = 0);
