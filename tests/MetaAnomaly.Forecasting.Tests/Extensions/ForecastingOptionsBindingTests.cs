using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Forecasting.Learners;
using Microsoft.Extensions.Configuration;

namespace MetaAnomaly.Forecasting.Tests.Extensions;

public sealed class ForecastingOptionsBindingTests
{
    [Fact]
    public void ConfiguredHiddenSizesReplaceTheDefaultLayers()
    {
        var options = Bind(new() { ["Forecasting:HiddenSizes:0"] = "80", ["Forecasting:HiddenSizes:1"] = "80" });

        Assert.Equal([80, 80], options.EffectiveHiddenSizes);
    }

    [Fact]
    public void OneConfiguredWidthIsOneLayer()
    {
        var options = Bind(new() { ["Forecasting:HiddenSizes:0"] = "64" });

        Assert.Equal([64], options.EffectiveHiddenSizes);
    }

    [Fact]
    public void WithoutConfigurationTheLayersAreTheDefaults()
    {
        Assert.Equal(ForecastingOptions.Defaults.HiddenSizes, Bind([]).EffectiveHiddenSizes);
    }

    [Fact]
    public void ANonPositiveWidthFailsValidationNamingTheKey()
    {
        var result = new ForecastingOptionsValidator(MetaLearnerRegistry.CreateDefault())
            .Validate(null, Bind(new() { ["Forecasting:HiddenSizes:0"] = "40", ["Forecasting:HiddenSizes:1"] = "0" }));

        Assert.True(result.Failed);
        Assert.Contains("Forecasting:HiddenSizes", result.FailureMessage);
    }

    private static ForecastingOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new ForecastingOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Forecasting").Bind(options);
        return options;
    }
}
