using MetaAnomaly.Detection.Tests.Support;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Detection.Tests.Apis;

public sealed class DetectionOptionsValidationTests
{
    [Theory]
    [InlineData("Detection:Rules:0:Threshold", "1.5", "Detection:Rules:0:Threshold")]
    [InlineData("Detection:Rules:0:MinDuration", "0", "Detection:Rules:0:MinDuration")]
    [InlineData("Detection:Webhooks:Endpoints:0:Url", "not a url", "Detection:Webhooks:Endpoints:0:Url")]
    [InlineData("Detection:Webhooks:RetryHorizon", "00:01:00", "Detection:Webhooks:RetryHorizon")]
    [InlineData("Detection:PrimingPoints", "-1", "Detection:PrimingPoints")]
    [InlineData("Detection:Flatline:Probability", "1", "Detection:Flatline:Probability")]
    [InlineData("Detection:Flatline:MemoryPoints", "5", "Detection:Flatline:MemoryPoints")]
    [InlineData("Detection:Calibration:LongWindow", "1", "Detection:Calibration:LongWindow")]
    [InlineData("Detection:Sustained:Window", "1", "Detection:Sustained:Window")]
    [InlineData("Detection:Recurrence:Ratio", "1.5", "Detection:Recurrence:Ratio")]
    [InlineData("Detection:Recurrence:Tolerance", "2.00:00:00", "Detection:Recurrence:Tolerance")]
    [InlineData("Detection:DeviationMemory:Exclusion", "5000", "Detection:DeviationMemory:Exclusion")]
    [InlineData("Detection:Scoring:SeenDeviationDiscount", "0.5", "Detection:Scoring:SeenDeviationDiscount")]
    [InlineData("Detection:Warmup:Points", "-1", "Detection:Warmup:Points")]
    [InlineData("Detection:DeviationMemory:Tolerance", "0", "Detection:DeviationMemory:Tolerance")]
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
