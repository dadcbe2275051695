using MetaAnomaly.Shared.Forecasts;
using MetaAnomaly.Shared.Series;
using static MetaAnomaly.Forecasting.Tests.Serving.CoreTestBed;

namespace MetaAnomaly.Forecasting.Tests.Serving;

/// <summary>
/// A series with one aperiodic support of points (48) but too few to tell its period (61 at an hourly step with the
/// test bed's 12 lags) is served in cold start until its cluster adapts it.
/// </summary>
public sealed class ColdStartTests : IDisposable
{
    private const int Support = 48;

    private CoreTestBed _bed = new(o => o.ColdStart = true);

    [Fact]
    public async Task ANewSeriesWithOneSupportIsServedByThePreviousValueAloneWhileThereIsNoSharedAperiodicModel()
    {
        var fresh = Noise("fresh", Support, new Random(3));
        _bed.Windows.Add(fresh);
        using var core = _bed.Create();

        var run = await core.Runs.CatchUpAsync(CancellationToken.None);

        Assert.Empty(run.Errors);
        var state = core.ReadModel.StateOf(fresh.Key);
        Assert.Equal(SeriesModelStatus.Adapted, state.Status);
        Assert.Equal(ServingStage.ColdStart, state.Stage);
        Assert.Null(state.ClusterId);
        Assert.Null(state.Period);
        Assert.Equal("anchor", state.Learner);
        Assert.Contains("anchor alone (no shared aperiodic model yet)", state.StageDescription);
        Assert.Contains("period not known yet", state.StageDescription);
        Assert.Contains($"{Support} points: less than the 61 needed to tell its period", state.Reason);
        var forecast = core.Forecaster.ForecastNext([new OneStepRequest(fresh.Key, fresh, fresh.End + fresh.Step)])[0];
        Assert.True(forecast.Available);
        Assert.Equal(fresh.Values[^1], forecast.Value, 9);
        Assert.True(forecast.ResidualScale > 0);
        Assert.Equal(ServingStage.Cluster, core.ReadModel.StateOf(_bed.Windows[0].Key).Stage);
        Assert.Equal("cluster p24-a", core.ReadModel.StateOf(_bed.Windows[0].Key).StageDescription);
    }

    [Fact]
    public async Task ASeriesOnePointShortOfASupportWaitsAndSaysWhenItWillBeScored()
    {
        var state = await WaitingStateAsync(Support - 1);

        Assert.EndsWith($"scored in cold start from {Support} points", state.Reason);
    }

    [Fact]
    public async Task ColdStartServesTheLargestAperiodicClustersInitialisationOnceThereIsOne()
    {
        var random = new Random(5);
        for (var i = 0; i < 3; i++)
        {
            _bed.Windows.Add(Noise($"flat{i}", 24 * 14, random));
        }
        var fresh = Noise("fresh", Support + 5, random);
        _bed.Windows.Add(fresh);
        using var core = _bed.Create();

        var run = await core.Runs.CatchUpAsync(CancellationToken.None);

        Assert.Empty(run.Errors);
        Assert.Contains(core.ReadModel.Clusters(), c => c.Id == "aperiodic-a");
        var state = core.ReadModel.StateOf(fresh.Key);
        Assert.Equal(ServingStage.ColdStart, state.Stage);
        Assert.Equal("maml", state.Learner);
        Assert.Contains("the shared aperiodic model (aperiodic-a's maml initialisation) with the previous-value anchor", state.StageDescription);
        Assert.True(core.Forecaster.ForecastNext([new OneStepRequest(fresh.Key, fresh, fresh.End + fresh.Step)])[0].Available);
    }

    [Fact]
    public async Task ASeriesInColdStartMovesToItsClusterOnceItsPeriodIsKnown()
    {
        var index = _bed.Windows.Count;
        _bed.Windows.Add(TwoDayCycle("fresh", 60, new Random(9)));
        using var core = _bed.Create();
        await core.Runs.CatchUpAsync(CancellationToken.None);
        Assert.Equal(ServingStage.ColdStart, core.ReadModel.StateOf(Key("fresh")).Stage);

        _bed.Windows[index] = TwoDayCycle("fresh", 24 * 14, new Random(9));
        var run = await core.Runs.CatchUpAsync(CancellationToken.None);

        Assert.Empty(run.Errors);
        var state = core.ReadModel.StateOf(Key("fresh"));
        Assert.Equal(SeriesModelStatus.Adapted, state.Status);
        Assert.Equal(ServingStage.Cluster, state.Stage);
        Assert.Equal("p48-a", state.ClusterId);
        Assert.Equal(48, state.Period);
        Assert.Equal("cluster p48-a", state.StageDescription);
        Assert.Equal("maml", state.Learner);
    }

    [Fact]
    public async Task WithoutColdStartANewSeriesWaitsUntilItsPeriodCanBeTold()
    {
        _bed.Dispose();
        _bed = new CoreTestBed(o => o.ColdStart = false);

        var state = await WaitingStateAsync(Support + 5);

        Assert.StartsWith($"{Support + 5} points: less than the 61 needed to tell its period (", state.Reason);
        Assert.DoesNotContain("cold start", state.Reason);
    }

    /// <summary>The state after a catch-up of a new aperiodic series of <paramref name="points"/> points that is not served.</summary>
    private async Task<SeriesModelState> WaitingStateAsync(int points)
    {
        var fresh = Noise("fresh", points, new Random(3));
        _bed.Windows.Add(fresh);
        using var core = _bed.Create();

        await core.Runs.CatchUpAsync(CancellationToken.None);

        var state = core.ReadModel.StateOf(fresh.Key);
        Assert.Equal(SeriesModelStatus.WarmingUp, state.Status);
        Assert.Equal(ServingStage.NotServed, state.Stage);
        Assert.Null(state.StageDescription);
        Assert.False(core.Forecaster.ForecastNext([new OneStepRequest(fresh.Key, fresh, fresh.End + fresh.Step)])[0].Available);
        return state;
    }

    /// <summary>A random walk: no period to find.</summary>
    private static SeriesWindow Noise(string name, int count, Random random)
    {
        var values = new double[count];
        var level = 20 + 10 * random.NextDouble();
        for (var i = 0; i < count; i++)
        {
            values[i] = level += SyntheticTasks.NextGaussian(random);
        }
        return new SeriesWindow(Key(name), Origin, TimeSpan.FromHours(1), values);
    }

    /// <summary>A cycle of two days at an hourly step: its period needs 96 points to be told.</summary>
    private static SeriesWindow TwoDayCycle(string name, int count, Random random)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = 40 + 10 * Math.Sin(2 * Math.PI * i / 48) + 0.3 * SyntheticTasks.NextGaussian(random);
        }
        return new SeriesWindow(Key(name), Origin, TimeSpan.FromHours(1), values);
    }

    public void Dispose() => _bed.Dispose();
}
