using MetaAnomaly.Forecasting.Episodes;
using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Forecasting.Learners;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Engine;

/// <summary>
/// What the options make of every computation of the core: the device (selected on first use), the chunk size and
/// workers of the adaptation, and each cluster's episode layout, horizon and learner settings.
/// </summary>
public sealed class ForecastingSetup
{
    private readonly Lazy<Device> _device;

    public ForecastingSetup(IOptions<ForecastingOptions> options)
    {
        Options = options.Value;
        _device = new(() => DeviceSelector.Select(Options.Device));
    }

    public ForecastingOptions Options { get; }

    public Device Device => _device.Value;

    public int ChunkSize => DeviceSelector.ChunkSize(Device, Options.ChunkSize, ForecastingOptions.Defaults.CpuChunkSize, ForecastingOptions.Defaults.CudaChunkSize);

    /// <summary>Threads adapting chunks at once (<c>Forecasting:AdaptationThreads</c>, 0 = one per processor).</summary>
    public int AdaptationWorkers => Options.AdaptationThreads > 0 ? Options.AdaptationThreads : Environment.ProcessorCount;

    /// <summary>
    /// The layout of series of <paramref name="period"/> sampled every <paramref name="step"/> (null when unknown or not
    /// shared). With <c>MultiSeasonalAnchor</c> the anchor blends the day and the week only when the period is a calendar
    /// day or week at that step and the history holds a week and a day of targets to choose the blend on;
    /// otherwise the layout is the one without it.
    /// </summary>
    public EpisodeLayout LayoutFor(int period, TimeSpan? step)
    {
        var support = Options.SupportSize > 0 ? Options.SupportSize : period > 0 ? period : ForecastingOptions.Defaults.AperiodicSupportSize;
        var query = Options.DirectHorizons ? HorizonFor(period, support) : Math.Max(1, support / 2);
        var layout = new EpisodeLayout(Options.Lags, period, support, query) { Anchored = Options.SeasonalAnchor, Direct = Options.DirectHorizons };
        if (!Options.MultiSeasonalAnchor)
        {
            return layout;
        }
        var calendar = layout with { DayLag = EpisodeLayout.SlotsPerDay(step) };
        return calendar.MultiSeasonal && calendar.AnchorReach + calendar.ShortAnchorLag <= Options.HistoryLength ? calendar : layout;
    }

    /// <summary>Steps of the next-horizon forecast made at adaptation.</summary>
    public int HorizonFor(EpisodeLayout layout) => HorizonFor(layout.Period, layout.SupportSize);

    public LearnerSettings SettingsFor(EpisodeLayout layout) => new(
        layout.InputSize, Device, Options.Seed, Options.EffectiveHiddenSizes,
        Options.AdaptationLearningRate, Options.AdaptationSteps, Options.MetaLearningRate, HeldOutShare: Options.InnerLoopHeldOutShare);

    private int HorizonFor(int period, int support) =>
        Options.Horizon > 0 ? Options.Horizon : Math.Min(period > 0 ? period : support, ForecastingOptions.Defaults.MaxHorizon);
}
