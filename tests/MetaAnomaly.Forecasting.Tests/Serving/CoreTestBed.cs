using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Forecasting.Registry;
using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Forecasting.Tests.Serving;

/// <summary>
/// What the tests of the composed core share: six seasonal series of two weeks (period 24) and one too short to
/// cluster, small options for quick meta-training, and a temporary directory with the state database and models.
/// </summary>
internal sealed class CoreTestBed : IDisposable
{
    public static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("forecasting-tests-").FullName;
    private readonly SqliteTestDatabase _database;

    public CoreTestBed(Action<ForecastingOptions>? configure = null)
    {
        _database = new SqliteTestDatabase(Path.Combine(_directory, "state.db"), ModelRegistry.Migration);
        var options = new ForecastingOptions
        {
            Device = "cpu",
            Lags = 12,
            HiddenSizes = [16],
            MetaTrainingSteps = 40,
            MetaBatchSize = 8,
            AdaptationLearningRate = 0.05,
            ModelDirectory = Path.Combine(_directory, "models"),
            HistoryLength = 400,
        };
        configure?.Invoke(options);
        Options = Microsoft.Extensions.Options.Options.Create(options);
        var random = new Random(1);
        for (var i = 0; i < 6; i++)
        {
            Windows.Add(Seasonal($"s{i}", 24 * 14, random));
        }
        Windows.Add(Seasonal("short", 20, random));
    }

    /// <summary>The buffers' series: a test may change or add windows, the core reads them at its next run.</summary>
    public List<SeriesWindow> Windows { get; } = [];

    public IOptions<ForecastingOptions> Options { get; }

    public ForecastingCore Create(IAdaptationMask? mask = null, TimeProvider? clock = null) => new(Windows, _database, Options, clock, mask);

    public ModelRegistry Registry(TimeProvider? clock = null) => new(_database, Options, clock ?? TimeProvider.System, NullLogger<ModelRegistry>.Instance);

    public static SeriesKey Key(string name) => new("cpu", [new("host", name)], "usage");

    public static SeriesWindow Seasonal(string name, int count, Random random)
    {
        var level = 50 + 20 * random.NextDouble();
        var amplitude = 5 + 10 * random.NextDouble();
        var window = new SeriesWindow(Key(name), Origin, TimeSpan.FromHours(1), new double[count]);
        for (var i = 0; i < count; i++)
        {
            window.Values[i] = level + amplitude * Math.Sin(2 * Math.PI * i / 24) + 0.3 * SyntheticTasks.NextGaussian(random);
        }
        return window with { Values = window.Values };
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
