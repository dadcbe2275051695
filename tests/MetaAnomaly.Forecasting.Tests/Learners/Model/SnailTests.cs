using MetaAnomaly.Forecasting.Learners.Model;
using MetaAnomaly.Forecasting.Learners.Model.Snail;
using static TorchSharp.torch;

namespace MetaAnomaly.Forecasting.Tests.Learners.Model;

public sealed class SnailTests
{
    [Fact]
    public void NoSupportPositionSeesLaterOnes()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(4);
        var network = new SnailNetwork(new SnailShape(SineEpisodes.Lags, 8, 4, 8, 8, 16), generator);
        using var batch = new SineEpisodes(31).Next(tasks: 2, support: 12, query: 1);
        var support = SupportSequence.Clean(batch.Support);
        var changed = support with
        {
            Inputs = cat([support.Inputs[.., ..7], support.Inputs[.., 7..] * -3], 1),
            Targets = cat([support.Targets[.., ..7], support.Targets[.., 7..] + 5], 1),
        };

        var original = network.Read(support);
        var altered = network.Read(changed);

        Assert.True(original[.., ..7].allclose(altered[.., ..7], atol: 1e-6), "positions before 7 changed with later pairs");
        Assert.False(original[.., 7..].allclose(altered[.., 7..], atol: 1e-3));
    }

    [Fact]
    public void AQueryIsReadOutAsTheNextPositionAfterTheSupport()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        var network = new SnailNetwork(new SnailShape(SineEpisodes.Lags, 8, 4, 8, 8, 16), generator);
        using var batch = new SineEpisodes(32).Next(tasks: 2, support: 9, query: 1);
        var support = SupportSequence.Clean(batch.Support);
        var sequence = cat([SnailNetwork.SupportTokens(support), SnailNetwork.QueryTokens(batch.Query.Inputs)], 1);

        var asQuery = network.ReadOut(network.Read(support), support.Mask, batch.Query.Inputs);
        var asNextPosition = network.Head(network.Run(sequence, ones([2, 10]))[.., 9..]);

        Assert.True(asQuery.allclose(asNextPosition, atol: 1e-5));
    }
}
