using MetaAnomaly.Detection.Scoring;

namespace MetaAnomaly.Detection.Tests.Scoring;

public sealed class RescaledTailCalibratorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void AtAConstantScaleItCalibratesLikeTheDeviateCalibrator(int shortWindow)
    {
        var random = new Random(3);
        var rescaled = new RescaledTailCalibrator(shortWindow, 200);
        var deviates = new TailProbabilityCalibrator(shortWindow, 200);
        const double scale = 2.5;

        for (var i = 0; i < 600; i++)
        {
            var residual = scale * (random.NextDouble() < 0.02 ? 6 : random.NextDouble() * 3);
            var expected = deviates.Observe(TailProbabilityCalibrator.Deviate(residual / scale));
            Assert.Equal(expected, rescaled.Observe(residual, scale), 0.01);
        }
        Assert.Equal(deviates.Seen, rescaled.Seen);
    }

    [Fact]
    public void ResidualsThatWereLargeAtAnEarlierSmallerScaleAreOrdinaryAtTheCurrentOne()
    {
        var random = new Random(4);
        var rescaled = new RescaledTailCalibrator(1, 1000);
        var deviates = new TailProbabilityCalibrator(1, 1000);
        // 150 residuals of the new, wider noise measured while the scale still said 0.05, then 400 at the followed scale.
        for (var i = 0; i < 550; i++)
        {
            var residual = random.NextDouble() * 2;
            var scale = i < 150 ? 0.05 : 1;
            rescaled.Observe(residual, scale);
            deviates.Observe(TailProbabilityCalibrator.Deviate(residual / scale));
        }

        var spike = rescaled.Observe(6, 1);

        Assert.True(spike > 4, $"surprise {spike}");
        Assert.True(deviates.Observe(TailProbabilityCalibrator.Deviate(6)) < 1);
    }
}
