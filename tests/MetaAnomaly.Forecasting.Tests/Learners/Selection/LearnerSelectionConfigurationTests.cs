using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Selection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Forecasting.Tests.Learners.Selection;

public sealed class LearnerSelectionConfigurationTests
{
    private static readonly MetaLearnerRegistry Registry = MetaLearnerRegistry.CreateDefault();

    [Theory]
    [InlineData("auto")]
    [InlineData("AUTO")]
    [InlineData("leo")]
    [InlineData("lstm-meta")]
    public void LearnerMayBeAutoOrARegisteredName(string learner)
    {
        var result = new ForecastingOptionsValidator(Registry).Validate(null, new ForecastingOptions { Learner = learner });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void UnknownLearnerNamesTheKeyAndAuto()
    {
        var options = new ForecastingOptions { LearnerByCluster = { ["p24-a"] = "nope" } };

        var result = new ForecastingOptionsValidator(Registry).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Forecasting:LearnerByCluster:p24-a", result.FailureMessage);
        Assert.Contains("auto", result.FailureMessage);
    }

    [Fact]
    public void SelectionDefaultsNameRegisteredLearners()
    {
        using var provider = Services([]);

        var options = provider.GetRequiredService<IOptions<LearnerSelectionOptions>>().Value;

        Assert.Equal(["maml", "lstm-meta", "leo"], options.EffectiveCandidates);
        Assert.Empty(options.UnknownCandidates(Registry));
    }

    [Fact]
    public void ConfiguredCandidatesReplaceTheDefaults()
    {
        using var provider = Services(new() { ["Forecasting:Selection:Candidates:0"] = "leo", ["Forecasting:Selection:Candidates:1"] = "reptile" });

        var options = provider.GetRequiredService<IOptions<LearnerSelectionOptions>>().Value;

        Assert.Equal(["leo", "reptile"], options.EffectiveCandidates);
    }

    [Fact]
    public void UnknownCandidateFailsValidationNamingTheKey()
    {
        using var provider = Services(new() { ["Forecasting:Selection:Candidates:0"] = "maml", ["Forecasting:Selection:Candidates:1"] = "nope" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LearnerSelectionOptions>>().Value);

        Assert.Contains("Forecasting:Selection:Candidates", error.Message);
        Assert.Contains("nope", error.Message);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging()
            .AddLearnerSelection()
            .BuildServiceProvider();
}
