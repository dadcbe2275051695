using MetaAnomaly.Forecasting.Learners;

namespace MetaAnomaly.Forecasting.Tests.Learners.Metric;

public sealed class MetricLearnerRegistrationTests
{
    [Theory]
    [InlineData("matching")]
    [InlineData("prototypical")]
    [InlineData("relation")]
    [InlineData("siamese")]
    public void RegistryCreatesMetricLearnerByName(string name)
    {
        var registry = MetaLearnerRegistry.CreateDefault();

        using var learner = registry.Create(name, SyntheticTasks.Settings());

        Assert.Equal(name, learner.Name);
        Assert.Equal(LearnerFamily.Metric, learner.Family);
        Assert.Equal(LearnerFamily.Metric, registry.Factory(name).Family);
    }
}
