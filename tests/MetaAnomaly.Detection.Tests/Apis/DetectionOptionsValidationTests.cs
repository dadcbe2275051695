using MetaAnomaly.Detection.Tests.Support;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Tests.Apis;

public sealed class DetectionOptionsValidationTests
{
    [Theory]
    [InlineData("Detection:Rules:0:Threshold", "1.5", "Detection:Rules:0:Threshold")]
    [InlineData("Detection:Rules:0:MinDuration", "0", "Detection:Rules:0:MinDuration")]
    [InlineData("Detection:Webhooks:Endpoints:0:Url", "not a url", "Detection:Webhooks:Endpoints:0:Url")]
    [InlineData("Detection:PrimingPoints", "-1", "Detection:PrimingPoints")]
    [InlineData("Detection:Scoring:FlatlineProbability", "1", "Detection:Scoring:FlatlineProbability")]
    [InlineData("Detection:Scoring:FlatlineMemoryPoints", "5", "Detection:Scoring:FlatlineMemoryPoints")]
    [InlineData("Detection:Scoring:LongWindow", "1", "Detection:Scoring:LongWindow")]
    [InlineData("Detection:Scoring:SustainedWindow", "1", "Detection:Scoring:SustainedWindow")]
    [InlineData("Detection:Scoring:RecurrenceRatio", "1.5", "Detection:Scoring:RecurrenceRatio")]
    [InlineData("Detection:Scoring:RecurrenceTolerance", "2.00:00:00", "Detection:Scoring:RecurrenceTolerance")]
    [InlineData("Detection:Scoring:DeviationMemoryExclusion", "5000", "Detection:Scoring:DeviationMemoryExclusion")]
    [InlineData("Detection:Scoring:SeenDeviationDiscount", "0.5", "Detection:Scoring:SeenDeviationDiscount")]
    public async Task MisconfigurationFailsAtStartNamingTheKey(string key, string value, string named)
    {
        using var database = new SqliteTestDatabase();
        var configuration = new Dictionary<string, string?>
        {
            ["Detection:Rules:0:Name"] = "r",
            ["Detection:Webhooks:Endpoints:0:Name"] = "hook",
            ["Detection:Webhooks:Endpoints:0:Url"] = "http://127.0.0.1:9/hook",
            [key] = value,
        };
        await using var app = DetectionHost.Build(database, configuration);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task EmptyConfigurationStarts()
    {
        using var database = new SqliteTestDatabase();
        await using var app = DetectionHost.Build(database);

        await app.StartAsync();
        await app.StopAsync();
    }
}
